// Deterministic generator of realistic cases and responses exports for the benchmark.
//   gen_data --cases N --out DIR [--seed S] [--quote-free]
// cases.csv:     case_id,subject,agent,queue,case_type,status,created_at,closed_at
// responses.csv: response_id,case_id,submitted_at,csat,nps,ces,comment
// About 25% of cases (29% of closed ones) respond; ~1% duplicate responses; ~0.5% orphans; ~10% of comments
// quoted with commas, doubled quotes and line breaks. The PRNG is our own (splitmix64), so every machine
// writes the same bytes for the same seed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    bool chance(std::uint64_t per_thousand) { return below(1000) < per_thousand; }
};

class Writer {
  public:
    explicit Writer(const std::string& path) : m_file(std::fopen(path.c_str(), "wb")) {
        if (!m_file) {
            std::perror(path.c_str());
            std::exit(4);
        }
        m_buf.reserve(1 << 20);
    }
    ~Writer() {
        flush();
        std::fclose(m_file);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    void put(const std::string& s) {
        m_buf += s;
        if (m_buf.size() > (1 << 20)) {
            flush();
        }
    }
    void flush() {
        std::fwrite(m_buf.data(), 1, m_buf.size(), m_file);
        m_buf.clear();
    }

  private:
    std::FILE* m_file;
    std::string m_buf;
};

const char* k_first[] = {"Ana",   "Ben",  "Chloe", "Dev",  "Eva",  "Femi", "Gia",   "Hugo", "Ines", "Jon",
                         "Kemal", "Lena", "Mateo", "Nora", "Omar", "Pia",  "Quinn", "Rosa", "Sven", "Tara"};
const char* k_last[] = {"Souza", "Okafor", "Martin", "Patel", "Novak",
                        "Berg",  "Rossi",  "Kim",    "Diaz",  "Nakamura"};
const char* k_queues[] = {"Billing",  "Returns",  "Technical", "Shipping", "Accounts", "Onboarding",
                          "Security", "Payments", "Mobile",    "Web",      "Partners", "Enterprise"};
const char* k_types[] = {"Question", "Problem",         "Refund",    "Incident",
                         "Task",     "Feature Request", "Complaint", "Other"};
const char* k_subjects[] = {"Cannot log in after the password reset email",
                            "Invoice shows the wrong VAT rate for March",
                            "Refund not received after two weeks",
                            "App crashes on start since the last update",
                            "Change the billing address on the account",
                            "Export to spreadsheet times out on big reports",
                            "Password reset loop on the mobile app",
                            "Add a second admin to the workspace",
                            "Charged twice for the annual plan"};
const char* k_comments[] = {"Quick and friendly, solved it in one reply",
                            "Took too long to get a first answer from anyone",
                            "Solved on first contact, thank you very much",
                            "ok",
                            "Great help from the agent, very patient with me",
                            "Had to explain the problem twice to two people",
                            "Clear answer with the steps I needed",
                            "Not solved yet, still waiting for the fix"};

std::string timestamp(std::int64_t t) {
    // Civil date from seconds since 1970 (UTC).
    std::int64_t days = t / 86400;
    std::int64_t secs = t % 86400;
    std::int64_t z = days + 719468;
    std::int64_t era = z / 146097;
    std::int64_t doe = z - era * 146097;
    std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t mp = (5 * doy + 2) / 153;
    std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    return buf;
}

std::string case_id(std::uint64_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "C%09llu", static_cast<unsigned long long>(i));
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 10000;
    std::uint64_t seed = 42;
    std::string out = ".";
    bool quote_free = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--cases" && i + 1 < argc) {
            n = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--seed" && i + 1 < argc) {
            seed = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--out" && i + 1 < argc) {
            out = argv[++i];
        } else if (a == "--quote-free") {
            quote_free = true;
        } else {
            std::fprintf(stderr, "usage: gen_data --cases N --out DIR [--seed S] [--quote-free]\n");
            return 2;
        }
    }
    Rng rng{seed};
    std::vector<std::string> agents;
    for (const char* f : k_first) {
        for (const char* l : k_last) {
            agents.push_back(std::string(f) + " " + l);
        }
    }
    Writer cases(out + (quote_free ? "/cases_quote_free.csv" : "/cases.csv"));
    std::unique_ptr<Writer> responses;
    if (!quote_free) {
        responses = std::make_unique<Writer>(out + "/responses.csv");
        responses->put("response_id,case_id,submitted_at,csat,nps,ces,comment\n");
    }
    cases.put("case_id,subject,agent,queue,case_type,status,created_at,closed_at\n");
    const std::int64_t start = 1704067200;  // 2024-01-01
    const std::int64_t span = 2 * 365 * 86400;
    std::uint64_t response_no = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::string id = case_id(i + 1);
        std::int64_t created = start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span)));
        std::uint64_t st = rng.below(100);
        const char* status = st < 85 ? "Closed" : st < 93 ? "Open" : "Pending";
        bool closed = st < 85;
        std::int64_t closed_at = created + 600 + static_cast<std::int64_t>(rng.below(5 * 86400));
        std::string subject = k_subjects[rng.below(9)];
        if (!quote_free && rng.chance(100)) {
            subject = "\"" + subject + ", urgent\"";
        }
        const std::string& agent = agents[rng.below(agents.size())];
        cases.put(id + "," + subject + "," + agent + "," + k_queues[rng.below(12)] + "," +
                  k_types[rng.below(8)] + "," + status + "," + timestamp(created) + "," +
                  (closed ? timestamp(closed_at) : "") + "\n");
        if (!responses || !closed || !rng.chance(293)) {  // 85% closed x 29.3% x 1.01 = ~25% of cases
            continue;
        }
        int copies = rng.chance(10) ? 2 : 1;  // ~1% of all responses are a second answer for the same case
        for (int c = 0; c < copies; ++c) {
            std::int64_t submitted =
                closed_at + 3600 + static_cast<std::int64_t>(rng.below(3 * 86400)) + c * 86400;
            std::uint64_t r = rng.below(100);
            int csat = r < 45 ? 5 : r < 75 ? 4 : r < 87 ? 3 : r < 94 ? 2 : 1;
            int nps = static_cast<int>(rng.below(11));
            int ces = 1 + static_cast<int>(rng.below(7));
            std::string comment;
            std::uint64_t k = rng.below(100);
            if (k < 10) {
                comment = "\"Agent said \"\"try again\"\", and it worked,\nbut only after" +
                          std::string(k < 5 ? "\r\n" : "\n") + "two days\"";
            } else if (k < 85) {
                comment = k_comments[rng.below(8)];
                if (comment.find(',') != std::string::npos) {
                    comment = "\"" + comment + "\"";
                }
            }
            std::string csat_text = rng.chance(30) ? "" : std::to_string(csat);
            ++response_no;
            std::string target = rng.chance(5) ? case_id(n + 1 + rng.below(n)) : id;  // ~0.5% orphans
            responses->put("R" + std::to_string(response_no) + "," + target + "," + timestamp(submitted) +
                           "," + csat_text + "," + std::to_string(nps) + "," + std::to_string(ces) + "," +
                           comment + "\n");
        }
    }
    return 0;
}
