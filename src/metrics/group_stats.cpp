#include "csat/group_stats.hpp"

namespace csat {

void GroupStats::merge(const GroupStats& o) {
    cases += o.cases;
    responded += o.responded;
    responses += o.responses;
    csat_n += o.csat_n;
    csat_positive += o.csat_positive;
    csat_value_n += o.csat_value_n;
    csat_sum += o.csat_sum;
    csat_sum_sq += o.csat_sum_sq;
    nps_n += o.nps_n;
    promoters += o.promoters;
    detractors += o.detractors;
    ces_n += o.ces_n;
    ces_easy += o.ces_easy;
    ces_sum += o.ces_sum;
    ces_sum_sq += o.ces_sum_sq;
}

}  // namespace csat
