// Aggregation: every counted response and every eligible case adds to the accumulator of its group and to
// the total. Group keys are dictionary ids (and a period key) packed into bytes and interned, so the hot loop
// does one hash lookup per row and no string work.
#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <system_error>
#include <thread>

#include "pipeline/job_state.hpp"

namespace csat::pipeline {

namespace {

constexpr std::uint32_t k_no_case_value = 0xFFFFFFFFu;
// Fewer cases, or stored responses, than these are counted on one thread: a thread costs more than the pass.
constexpr std::size_t k_parallel_cases = std::size_t{1} << 20;
constexpr std::size_t k_parallel_responses = std::size_t{1} << 17;

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

void prepare_groups(JobState& state) {
    GroupTable& t = state.groups;
    if (t.prepared) {
        return;
    }
    const JobOptions& opt = *state.options;
    t.prepared = true;
    t.key_needs_response = opt.period != Period::none && opt.date_basis == DateBasis::response;
    for (std::size_t g : state.group_dims) {
        t.key_needs_response = t.key_needs_response || state.dims[g].kind == FileKind::responses;
    }
    t.grouped = !state.group_dims.empty() || opt.period != Period::none;
    t.case_pos.assign(state.dims.size(), 0);
    t.response_pos.assign(state.dims.size(), 0);
    for (std::size_t k = 0; k < state.case_dims.size(); ++k) {
        t.case_pos[state.case_dims[k]] = k;
    }
    for (std::size_t k = 0; k < state.response_dims.size(); ++k) {
        t.response_pos[state.response_dims[k]] = k;
    }
}

// The group of a case class (k_no_case: no case), and for keys that depend on the response, its values.
std::uint32_t group_of(JobState& state, std::uint32_t case_class, const std::uint32_t* dim_values,
                       std::int64_t period) {
    GroupTable& t = state.groups;
    const JobOptions& opt = *state.options;
    const bool responses_only = opt.cases_files.empty();
    const std::size_t class_width = state.case_dims.size();
    t.key.clear();
    auto add = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const char*>(p);
        t.key.insert(t.key.end(), b, b + n);
    };
    for (std::size_t g : state.group_dims) {
        std::uint32_t v = 0;
        if (state.dims[g].kind == FileKind::cases) {
            v = case_class == k_no_case || responses_only
                    ? k_no_case_value
                    : state.classes.dims[case_class * class_width + t.case_pos[g]];
        } else {
            v = dim_values[t.response_pos[g]];
        }
        add(&v, 4);
    }
    if (opt.period != Period::none) {
        add(&period, 8);
    }
    auto [id, inserted] = t.keys.insert(std::string_view(t.key.data(), t.key.size()));
    if (inserted) {
        t.stats.emplace_back();
        t.period.push_back(period);
    }
    return id;
}

std::int64_t class_period(const JobState& state, std::uint32_t case_class) {
    return case_class == k_no_case || state.options->cases_files.empty() ? k_no_time
                                                                         : state.classes.period[case_class];
}

// Without response-side keys, a response's group is its case class's: looked up once per class.
std::uint32_t group_of_class(JobState& state, std::uint32_t case_class) {
    GroupTable& t = state.groups;
    if (case_class == k_no_case) {
        if (t.of_no_case == k_no_case) {
            t.of_no_case = group_of(state, k_no_case, nullptr, k_no_time);
        }
        return t.of_no_case;
    }
    if (case_class >= t.of_class.size()) {
        t.of_class.resize(std::max<std::size_t>(state.classes.period.size(), case_class + 1), k_no_case);
    }
    if (t.of_class[case_class] == k_no_case) {
        t.of_class[case_class] = group_of(state, case_class, nullptr, class_period(state, case_class));
    }
    return t.of_class[case_class];
}

}  // namespace

void count_response(JobState& state, const StoredResponse& r, const std::uint32_t* dim_values) {
    prepare_groups(state);
    const JobOptions& opt = *state.options;
    JobResult& result = state.result;
    GroupTable& t = state.groups;
    result.has_csat = result.has_csat || (r.flags & k_csat_answered);
    result.has_nps = result.has_nps || (r.flags & k_nps_answered);
    result.has_ces = result.has_ces || (r.flags & k_ces_answered);
    if (opt.date_basis == DateBasis::response && r.submitted != k_no_time) {
        // The date range of the cases was noted while loading; by response date it is noted here.
        std::int64_t day = state.tz.local_day(r.submitted);
        result.first_day = result.first_day ? std::min(*result.first_day, day) : day;
        result.last_day = result.last_day ? std::max(*result.last_day, day) : day;
    }
    std::uint32_t case_class = k_no_case;
    if (r.case_index != k_no_case) {
        state.cases.flags[r.case_index] |= k_case_responded;
        case_class = state.cases.class_of(r.case_index);
    }
    add_response(result.total, r, true, true, true);
    if (!t.grouped) {
        return;
    }
    std::uint32_t g = 0;
    if (!t.key_needs_response) {
        g = group_of_class(state, case_class);
    } else {
        std::int64_t period = class_period(state, case_class);
        if (opt.date_basis == DateBasis::response) {
            period = r.submitted == k_no_time
                         ? k_no_time
                         : period_key(state.tz.local_day(r.submitted), opt.period, opt.week_start);
        }
        g = group_of(state, case_class, dim_values, period);
    }
    add_response(t.stats[g], r, true, true, true);
}

// count(from, to, part) over [0, n): with `split`, part 0 takes the first half on this thread and part 1 the
// rest on another, else (or with no thread to spare) part 0 takes all. Every part starts from its own zero
// counts, which the caller adds up: integers, so the order changes nothing.
template <class Count>
void in_halves(std::size_t n, bool split, Count&& count) {
    std::thread helper;
    std::size_t half = n;
    if (split) {
        try {
            helper = std::thread([&count, n] { count(n / 2, n, 1); });
            half = n / 2;
        } catch (const std::system_error&) {
            // No thread to spare: part 0 takes all.
        }
    }
    count(0, half, 0);
    if (helper.joinable()) {
        helper.join();
    }
}

// Whether the stored responses can be counted on two threads (count_stored_by_class): their groups follow
// from their cases' classes alone, and each case has at most one of them (--duplicates latest|first), so a
// case's flag byte is written by one thread only.
bool count_stored_in_parallel(const JobState& state) {
    const JobOptions& opt = *state.options;
    return opt.threads > 1 && state.responses.size() >= k_parallel_responses && !opt.cases_files.empty() &&
           opt.duplicates != DuplicatePolicy::all && opt.date_basis != DateBasis::response &&
           !state.groups.key_needs_response;
}

// count_response() for every stored response, on two threads: each half into counts per case class, which
// then go into their groups. The counts are integers, so the order of adding them changes nothing. At 5M
// cases the pass took 35 ms at the end of the run on one thread, with the other core idle.
void count_stored_by_class(JobState& state) {
    JobResult& result = state.result;
    GroupTable& t = state.groups;
    const std::size_t n_classes = state.classes.period.size();
    struct Part {
        std::vector<GroupStats> by_class;  // and last, the responses without a case (--keep-orphans)
        GroupStats total;
        std::uint8_t flags = 0;  // every response's flags, or-ed: which metrics have answers
    };
    Part parts[2];
    for (Part& part : parts) {
        part.by_class.assign(n_classes + 1, GroupStats{});
    }
    in_halves(state.responses.size(), true, [&](std::size_t from, std::size_t to, int p) {
        Part& part = parts[p];
        state.responses.for_each_run(state.responses, from, to,
                                     [&](const StoredResponse* rows, const StoredResponse*, std::size_t n) {
                                         for (std::size_t i = 0; i < n; ++i) {
                                             const StoredResponse& r = rows[i];
                                             part.flags |= r.flags;
                                             std::size_t k = n_classes;
                                             if (r.case_index != k_no_case) {
                                                 state.cases.flags[r.case_index] |= k_case_responded;
                                                 k = state.cases.class_of(r.case_index);
                                             }
                                             add_response(part.total, r, true, true, true);
                                             add_response(part.by_class[k], r, true, true, true);
                                         }
                                     });
    });
    const Part& low = parts[0];
    const Part& high = parts[1];
    const std::uint8_t flags = low.flags | high.flags;
    result.has_csat = result.has_csat || (flags & k_csat_answered);
    result.has_nps = result.has_nps || (flags & k_nps_answered);
    result.has_ces = result.has_ces || (flags & k_ces_answered);
    result.total.merge(low.total);
    result.total.merge(high.total);
    if (!t.grouped) {
        return;
    }
    for (std::size_t k = 0; k <= n_classes; ++k) {
        GroupStats s = low.by_class[k];
        s.merge(high.by_class[k]);
        if (s.responses == 0) {
            continue;  // as one response at a time: no group for a class without one
        }
        const std::uint32_t g =
            group_of_class(state, k == n_classes ? k_no_case : static_cast<std::uint32_t>(k));
        t.stats[g].merge(s);
    }
}

void aggregate(JobState& state) {
    const JobOptions& opt = *state.options;
    JobResult& result = state.result;
    CaseTable& cases = state.cases;
    const bool responses_only = opt.cases_files.empty();
    result.has_cases = !responses_only;
    result.date_basis = opt.date_basis;

    prepare_groups(state);
    GroupTable& t = state.groups;
    result.group_case_metrics = result.has_cases && !t.key_needs_response;
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

    const CaseClasses& classes = state.classes;
    const std::size_t class_width = state.case_dims.size();
    const bool grouped = t.grouped;
    if (!state.stream_responses && count_stored_in_parallel(state)) {
        count_stored_by_class(state);
    } else if (!state.stream_responses) {
        std::vector<std::uint32_t> dims(state.response_dims.size());
        for (std::size_t i = 0; i < state.responses.size(); ++i) {
            for (std::size_t k = 0; k < dims.size(); ++k) {
                dims[k] = state.response_dim_values[k][i];
            }
            count_response(state, state.responses[i], dims.data());
        }
    }
    if (result.has_cases) {
        // Eligible and responded cases per class, then each class into its group. A pass over millions of
        // cases reads tens of MB that left the cache long ago: on two threads, the run ends that much sooner.
        const std::size_t n_classes = classes.period.size();
        // Per half: eligible and responded cases per class.
        std::vector<std::uint64_t> part_cases[2] = {std::vector<std::uint64_t>(n_classes),
                                                    std::vector<std::uint64_t>(n_classes)};
        std::vector<std::uint64_t> part_responded[2] = {std::vector<std::uint64_t>(n_classes),
                                                        std::vector<std::uint64_t>(n_classes)};
        in_halves(cases.flags.size(), opt.threads > 1 && cases.flags.size() >= k_parallel_cases,
                  [&](std::size_t from, std::size_t to, int p) {
                      std::uint64_t* eligible = part_cases[p].data();
                      std::uint64_t* responded = part_responded[p].data();
                      cases.flags.for_each_run(
                          cases.data, from, to,
                          [&](const std::uint8_t* flags, const CaseData* data, std::size_t n) {
                              for (std::size_t i = 0; i < n; ++i) {
                                  const std::uint8_t f = flags[i];
                                  if ((f & k_case_excluded) || !(f & eligible_flag)) {
                                      continue;
                                  }
                                  const std::uint32_t k = data[i].case_class;
                                  ++eligible[k];
                                  responded[k] += (f & k_case_responded) ? 1 : 0;
                              }
                          });
                  });
        for (std::uint32_t k = 0; k < n_classes; ++k) {
            const std::uint64_t eligible = part_cases[0][k] + part_cases[1][k];
            const std::uint64_t responded = part_responded[0][k] + part_responded[1][k];
            if (eligible == 0) {
                continue;
            }
            if (result.total_case_metrics) {
                result.total.cases += eligible;
                result.total.responded += responded;
            }
            if (grouped && result.group_case_metrics) {
                GroupStats& s = t.stats[group_of_class(state, k)];
                s.cases += eligible;
                s.responded += responded;
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
    // The order is worked out on integers: each dimension's labels are sorted once, and groups compare by
    // their values' ranks, then period, then first appearance (equal labels, such as a blank and a literal
    // "(blank)", keep one order). Sorting the groups themselves compared strings and moved 200-byte results:
    // the 100k job per agent and queue by month (24k groups) ran 1,125M -> 1,059M instructions.
    const std::size_t n_dims = state.group_dims.size();
    const std::size_t n_groups = t.keys.size();
    auto value_of = [&](std::uint32_t id, std::size_t k) {
        std::uint32_t v = 0;
        std::memcpy(&v, t.keys.key(id).data() + 4 * k, 4);
        return v;
    };
    auto label_of = [&](std::size_t k, std::uint32_t v) -> std::string {
        if (v == k_no_case_value) {
            return "(no case)";
        }
        std::string_view text = state.dims[state.group_dims[k]].values.key(v);
        return text.empty() ? "(blank)" : std::string(text);
    };
    std::vector<std::vector<std::string>> labels(n_dims);  // by value id; the last is "(no case)"
    std::vector<std::vector<std::uint32_t>> ranks(n_dims);
    for (std::size_t k = 0; k < n_dims; ++k) {
        const std::uint32_t n_values = state.dims[state.group_dims[k]].values.size();
        for (std::uint32_t v = 0; v < n_values; ++v) {
            labels[k].push_back(label_of(k, v));
        }
        labels[k].push_back(label_of(k, k_no_case_value));
        std::vector<std::uint32_t> by_label(labels[k].size());
        std::iota(by_label.begin(), by_label.end(), 0u);
        std::sort(by_label.begin(), by_label.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return labels[k][a] < labels[k][b]; });
        ranks[k].resize(by_label.size());
        for (std::uint32_t r = 0; r < by_label.size(); ++r) {
            // Equal labels share a rank.
            const bool tie = r > 0 && labels[k][by_label[r]] == labels[k][by_label[r - 1]];
            ranks[k][by_label[r]] = tie ? ranks[k][by_label[r - 1]] : r;
        }
    }
    auto slot_of = [&](std::size_t k, std::uint32_t v) {
        return v == k_no_case_value ? static_cast<std::uint32_t>(labels[k].size() - 1) : v;
    };
    std::vector<std::uint32_t> group_ranks(n_groups * n_dims);
    for (std::uint32_t id = 0; id < n_groups; ++id) {
        for (std::size_t k = 0; k < n_dims; ++k) {
            group_ranks[id * n_dims + k] = ranks[k][slot_of(k, value_of(id, k))];
        }
    }
    const bool with_period = opt.period != Period::none;
    std::vector<std::uint32_t> order(n_groups);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const std::uint32_t* ra = group_ranks.data() + a * n_dims;  // no dimensions: an empty vector
        const std::uint32_t* rb = group_ranks.data() + b * n_dims;
        for (std::size_t k = 0; k < n_dims; ++k) {
            if (ra[k] != rb[k]) {
                return ra[k] < rb[k];
            }
        }
        if (with_period) {
            // Dated periods in time order, then "(no date)".
            const std::int64_t pa = t.period[a];
            const std::int64_t pb = t.period[b];
            if ((pa == k_no_time) != (pb == k_no_time)) {
                return pb == k_no_time;
            }
            if (pa != pb) {
                return pa < pb;
            }
        }
        return a < b;
    });
    result.groups.reserve(n_groups);
    for (std::uint32_t id : order) {
        GroupResult& gr = result.groups.emplace_back();
        for (std::size_t k = 0; k < n_dims; ++k) {
            gr.key.push_back(labels[k][slot_of(k, value_of(id, k))]);
        }
        if (with_period) {
            std::int64_t p = t.period[id];
            if (p == k_no_time) {
                gr.key.emplace_back("(no date)");
            } else {
                gr.period_key = p;
                gr.key.push_back(period_label(p, opt.period, opt.week_start));
            }
        }
        gr.stats = t.stats[id];
    }

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
                        classes.dims[cases.class_of(c) * class_width + t.case_pos[g]]));
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
