// run_job: opens every input (reading headers only), plans the group keys and filters against those headers,
// then loads, joins and aggregates. A day-first date column found after ambiguous dates were read triggers a
// second pass with the learned order.
#include "csat/job.hpp"

#include <system_error>
#include <thread>
#include <utility>

#include "csat/error.hpp"
#include "pipeline/row_context.hpp"

namespace csat {

namespace {

void open_inputs(pipeline::JobState& state) {
    const JobOptions& opt = *state.options;
    state.single_file =
        !opt.cases_files.empty() && (opt.responses_files.empty() || opt.responses_files == opt.cases_files);
    for (const std::string& path : opt.cases_files) {
        state.case_inputs.push_back(pipeline::open_input(state, path, FileKind::cases, state.single_file));
    }
    if (state.single_file) {
        const pipeline::InputFile& first = state.case_inputs.front();
        const ColumnMap& map = first.responses_map;
        if (!map.has(Role::csat) && !map.has(Role::nps) && !map.has(Role::ces)) {
            throw Error(
                ErrorKind::usage,
                fmt::format("{}: no score column (csat, nps or ces), and no --responses file", first.path),
                "pass the survey export with --responses FILE, or map the score column with "
                "--col csat=\"HEADER\"");
        }
        return;
    }
    for (const std::string& path : opt.responses_files) {
        state.response_inputs.push_back(pipeline::open_input(state, path, FileKind::responses, false));
    }
}

// Frees the big tables of a finished job on two threads. The kernel takes tens of ms to take back a few
// hundred MB of 4 KiB pages (19 ms at 5M cases in a perf timeline, at the very end of the run, with the other
// core idle), and two unmaps of one process clear their pages at the same time.
void release_tables(pipeline::JobState& state) {
    constexpr std::size_t k_big_table = std::size_t{1} << 20;  // cases
    if (state.options->threads < 2 || state.cases.size() < k_big_table) {
        return;  // freed on this thread when the state goes
    }
    std::thread helper;
    try {
        helper = std::thread([&state] { auto ids = std::exchange(state.cases.ids, CaseIndex{}); });
    } catch (const std::system_error&) {
        return;
    }
    {
        auto data = std::exchange(state.cases.data, {});
        auto flags = std::exchange(state.cases.flags, {});
        auto slots = std::exchange(state.cases.response_slot, {});
        auto responses = std::exchange(state.responses, {});
    }
    helper.join();
}

}  // namespace

JobResult run_job(const JobOptions& options_in) {
    JobOptions options = options_in;
    if (options.cases_files.empty() && options.responses_files.empty()) {
        throw Error(ErrorKind::usage, "no input files", "pass --cases FILE and/or --responses FILE");
    }
    if (options.cases_files.empty() && options.date_basis != DateBasis::response) {
        // Without cases the only date there is the response's.
        options.date_basis = DateBasis::response;
    }
    pipeline::DateOrders learned;
    for (int attempt = 0;; ++attempt) {
        pipeline::JobState state;
        state.options = &options;
        state.tz = TimeZone::locate(options.tz);
        state.date_orders = learned;
        try {
            open_inputs(state);
            const pipeline::InputFile* cases_file =
                state.case_inputs.empty() ? nullptr : &state.case_inputs.front();
            const pipeline::InputFile* responses_file =
                state.single_file
                    ? cases_file
                    : (state.response_inputs.empty() ? nullptr : &state.response_inputs.front());
            pipeline::plan_dimensions(state, cases_file, responses_file);
            pipeline::load_cases(state);
            pipeline::load_responses(state);
            pipeline::aggregate(state);
            JobResult result = std::move(state.result);
            release_tables(state);
            return result;
        } catch (const pipeline::RetryWithDateOrders&) {
            if (attempt > 0 && state.date_orders == learned) {
                throw Error(ErrorKind::internal, "day/month order did not settle");
            }
            learned = state.date_orders;
        }
    }
}

}  // namespace csat
