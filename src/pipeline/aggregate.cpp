// Aggregation: every counted response and every eligible case adds to the accumulator of its group and to
// the total. Group keys are dictionary ids (and a period key) packed into bytes and interned, so the hot loop
// does one hash lookup per row and no string work.
#include <algorithm>
#include <cstring>

#include "pipeline/job_state.hpp"

namespace csat::pipeline {

namespace {

constexpr std::uint32_t k_no_case_value = 0xFFFFFFFFu;

struct KeyBuilder {
    std::vector<char> bytes;
    void clear() { bytes.clear(); }
    void add_u32(std::uint32_t v) {
        char b[4];
        std::memcpy(b, &v, 4);
        bytes.insert(bytes.end(), b, b + 4);
    }
    void add_i64(std::int64_t v) {
        char b[8];
        std::memcpy(b, &v, 8);
        bytes.insert(bytes.end(), b, b + 8);
    }
    std::string_view view() const { return {bytes.data(), bytes.size()}; }
};

std::string rate_base_text(RateBase base) {
    switch (base) {
        case RateBase::sent:
            return "cases flagged as surveyed";
        case RateBase::offered:
            return "cases offered a survey";
        default:
            return "closed cases";
    }
}

void add_response(GroupStats& s, const StoredResponse& r, bool has_csat, bool has_nps, bool has_ces) {
    ++s.responses;
    if (has_csat && (r.flags & k_csat_answered)) {
        ++s.csat_n;
        if (r.flags & k_csat_positive) {
            ++s.csat_positive;
        }
        if (r.flags & k_csat_has_value) {
            ++s.csat_value_n;
            s.csat_sum += r.csat;
            s.csat_sum_sq += std::int64_t{r.csat} * r.csat;
        }
    }
    if (has_nps && (r.flags & k_nps_answered)) {
        ++s.nps_n;
        if (r.nps >= 9) {
            ++s.promoters;
        } else if (r.nps <= 6) {
            ++s.detractors;
        }
    }
    if (has_ces && (r.flags & k_ces_answered)) {
        ++s.ces_n;
        if (r.flags & k_ces_easy) {
            ++s.ces_easy;
        }
        s.ces_sum += r.ces;
        s.ces_sum_sq += std::int64_t{r.ces} * r.ces;
    }
}

}  // namespace

void aggregate(JobState& state) {
    const JobOptions& opt = *state.options;
    JobResult& result = state.result;
    CaseTable& cases = state.cases;
    const bool responses_only = opt.cases_files.empty();
    result.has_cases = !responses_only;
    result.date_basis = opt.date_basis;

    bool key_needs_response = opt.period != Period::none && opt.date_basis == DateBasis::response;
    for (std::size_t g : state.group_dims) {
        key_needs_response = key_needs_response || state.dims[g].kind == FileKind::responses;
    }
    result.group_case_metrics = result.has_cases && !key_needs_response;
    result.total_case_metrics =
        result.has_cases && !(opt.date_basis == DateBasis::response && (opt.since_day || opt.until_day));

    RateBase base = opt.rate_base;
    if (base == RateBase::auto_detect) {
        base = state.have_sent_column                          ? RateBase::sent
               : state.single_file && state.saw_offered_states ? RateBase::offered
                                                               : RateBase::closed;
    }
    result.rate_base = rate_base_text(base);
    std::uint8_t eligible_flag = base == RateBase::sent      ? k_case_sent
                                 : base == RateBase::offered ? k_case_surveyed
                                                             : k_case_closed;

    for (std::size_t i = 0; i < state.responses.size(); ++i) {
        const StoredResponse& r = state.responses[i];
        result.has_csat = result.has_csat || (r.flags & k_csat_answered);
        result.has_nps = result.has_nps || (r.flags & k_nps_answered);
        result.has_ces = result.has_ces || (r.flags & k_ces_answered);
    }

    // Where in a class's dimension values, and in the response dimension columns, each group key lives.
    const std::size_t class_width = state.case_dims.size();
    std::vector<std::size_t> case_pos(state.dims.size(), 0);
    std::vector<std::size_t> response_pos(state.dims.size(), 0);
    for (std::size_t k = 0; k < state.case_dims.size(); ++k) {
        case_pos[state.case_dims[k]] = k;
    }
    for (std::size_t k = 0; k < state.response_dims.size(); ++k) {
        response_pos[state.response_dims[k]] = k;
    }
    const CaseClasses& classes = state.classes;
    auto period_of_response = [&](std::int64_t utc) -> std::int64_t {
        if (utc == k_no_time) {
            return k_no_time;
        }
        return period_key(state.tz.local_day(utc), opt.period, opt.week_start);
    };
    // The date range of the cases was noted while loading; by response date it is noted here.
    auto note_response_day = [&](std::int64_t utc) {
        if (utc == k_no_time) {
            return;
        }
        std::int64_t day = state.tz.local_day(utc);
        result.first_day = result.first_day ? std::min(*result.first_day, day) : day;
        result.last_day = result.last_day ? std::max(*result.last_day, day) : day;
    };

    StringIndex groups;
    std::vector<GroupStats> stats;
    std::vector<std::int64_t> group_period;
    KeyBuilder key;
    // The group of a case class (k_no_case: no case) and, for keys that depend on the response, the response.
    auto group_of = [&](std::uint32_t case_class, std::size_t response,
                        std::int64_t period) -> std::uint32_t {
        key.clear();
        for (std::size_t g : state.group_dims) {
            if (state.dims[g].kind == FileKind::cases) {
                key.add_u32(case_class == k_no_case || responses_only
                                ? k_no_case_value
                                : classes.dims[case_class * class_width + case_pos[g]]);
            } else {
                key.add_u32(state.response_dim_values[response_pos[g]][response]);
            }
        }
        if (opt.period != Period::none) {
            key.add_i64(period);
        }
        auto [id, inserted] = groups.insert(key.view());
        if (inserted) {
            stats.emplace_back();
            group_period.push_back(period);
        }
        return id;
    };
    auto class_of = [&](std::uint32_t c) { return c == k_no_case ? k_no_case : cases.class_of(c); };
    auto class_period = [&](std::uint32_t case_class) {
        return case_class == k_no_case || responses_only ? k_no_time : classes.period[case_class];
    };

    const bool grouped = !state.group_dims.empty() || opt.period != Period::none;
    // Without response-side keys, a response's group is its case class's: looked up once per class.
    std::vector<std::uint32_t> class_group(classes.period.size() + 1, k_no_case);
    auto group_of_class = [&](std::uint32_t case_class) {
        std::uint32_t& g = class_group[case_class == k_no_case ? classes.period.size() : case_class];
        if (g == k_no_case) {
            g = group_of(case_class, 0, class_period(case_class));
        }
        return g;
    };
    for (std::size_t i = 0; i < state.responses.size(); ++i) {
        const StoredResponse& r = state.responses[i];
        if (opt.date_basis == DateBasis::response) {
            note_response_day(r.submitted);
        }
        if (r.case_index != k_no_case) {
            cases.flags[r.case_index] |= k_case_responded;
        }
        add_response(result.total, r, true, true, true);
        if (!grouped) {
            continue;
        }
        const std::uint32_t case_class = class_of(r.case_index);
        std::uint32_t g = 0;
        if (!key_needs_response) {
            g = group_of_class(case_class);
        } else {
            std::int64_t period = opt.date_basis == DateBasis::response ? period_of_response(r.submitted)
                                                                        : class_period(case_class);
            g = group_of(case_class, i, period);
        }
        add_response(stats[g], r, true, true, true);
    }
    if (result.has_cases) {
        // Eligible and responded cases per class, then each class into its group.
        std::vector<std::uint64_t> class_cases(classes.period.size(), 0);
        std::vector<std::uint64_t> class_responded(classes.period.size(), 0);
        for (std::uint32_t c = 0; c < cases.size(); ++c) {
            std::uint8_t f = cases.flags[c];
            if ((f & k_case_excluded) || !(f & eligible_flag)) {
                continue;
            }
            std::uint32_t k = cases.class_of(c);
            ++class_cases[k];
            class_responded[k] += (f & k_case_responded) ? 1 : 0;
        }
        for (std::uint32_t k = 0; k < class_cases.size(); ++k) {
            if (class_cases[k] == 0) {
                continue;
            }
            if (result.total_case_metrics) {
                result.total.cases += class_cases[k];
                result.total.responded += class_responded[k];
            }
            if (grouped && result.group_case_metrics) {
                GroupStats& s = stats[group_of_class(k)];
                s.cases += class_cases[k];
                s.responded += class_responded[k];
            }
        }
    }

    // Turn interned keys back into labels, then sort: dimensions as text, periods in time order, and the
    // "(no date)" bucket last.
    for (std::size_t g : state.group_dims) {
        result.key_names.push_back(state.dims[g].name);
    }
    if (opt.period != Period::none) {
        result.key_names.emplace_back("period");
    }
    result.groups.reserve(groups.size());
    for (std::uint32_t id = 0; id < groups.size(); ++id) {
        GroupResult gr;
        std::string_view bytes = groups.key(id);
        std::size_t pos = 0;
        for (std::size_t g : state.group_dims) {
            std::uint32_t v = 0;
            std::memcpy(&v, bytes.data() + pos, 4);
            pos += 4;
            if (v == k_no_case_value) {
                gr.key.emplace_back("(no case)");
            } else {
                std::string_view text = state.dims[g].values.key(v);
                gr.key.emplace_back(text.empty() ? "(blank)" : std::string(text));
            }
        }
        if (opt.period != Period::none) {
            std::int64_t p = group_period[id];
            if (p == k_no_time) {
                gr.key.emplace_back("(no date)");
            } else {
                gr.period_key = p;
                gr.key.push_back(period_label(p, opt.period, opt.week_start));
            }
        }
        gr.stats = stats[id];
        result.groups.push_back(std::move(gr));
    }
    std::sort(result.groups.begin(), result.groups.end(), [&](const GroupResult& a, const GroupResult& b) {
        std::size_t dims = state.group_dims.size();
        for (std::size_t k = 0; k < dims; ++k) {
            if (a.key[k] != b.key[k]) {
                return a.key[k] < b.key[k];
            }
        }
        if (a.period_key.has_value() != b.period_key.has_value()) {
            return a.period_key.has_value();
        }
        return a.period_key.value_or(0) < b.period_key.value_or(0);
    });

    if (responses_only) {
        result.notes.emplace_back("no cases file: cases and response rate are n/a");
    } else if (!result.group_case_metrics && grouped) {
        result.notes.emplace_back(
            "cases and response rate per group are n/a: the grouping depends on the responses "
            "(--date response or a responses column); the total has them");
    }
    if (result.has_cases && !result.total_case_metrics) {
        result.notes.emplace_back("cases and response rate are n/a: --since/--until filter by response date");
    }
    if (result.has_cases && !state.have_status && base == RateBase::closed) {
        result.notes.emplace_back("no status, closed flag or close date column: every case counts as closed");
    }

    if (opt.details) {
        for (std::size_t i = 0; i < state.responses.size(); ++i) {
            if (!state.details[i]) {
                continue;
            }
            ResponseDetail d = std::move(*state.details[i]);
            std::uint32_t c = state.responses[i].case_index;
            if (c != k_no_case && !responses_only) {
                for (std::size_t g : state.detail_dims) {
                    d.case_values.emplace_back(state.dims[g].values.key(
                        classes.dims[cases.class_of(c) * class_width + case_pos[g]]));
                }
                if (cases.created_at(c) != k_no_time) {
                    d.created_at = cases.created_at(c);
                }
                if (cases.closed_at(c) != k_no_time) {
                    d.closed_at = cases.closed_at(c);
                }
            } else {
                d.case_values.assign(state.detail_dims.size(), "");
            }
            result.details.push_back(std::move(d));
        }
    }

    // Every row is either used or excluded with a reason.
    for (FileAccount& f : result.accounting.files) {
        f.used = f.rows_read - f.excluded_total();
    }
}

}  // namespace csat::pipeline
