#include "csv/source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

namespace csat {

namespace {

[[noreturn]] void read_failed(const std::string& name) {
    throw Error(ErrorKind::io, fmt::format("{}: cannot read: {}", name, std::strerror(errno)),
                "check that the file is readable");
}

// A file or stdin read with read(2); or, for a reader of part of a regular file, with pread(2) from an offset
// on the descriptor that the file's first reader owns.
class FdSource final : public ByteSource {
  public:
    FdSource(int fd, std::string name, bool owned, bool regular = false)
        : m_fd(fd), m_name(std::move(name)), m_owned(owned), m_regular(regular) {}
    FdSource(int fd, std::string name, std::uint64_t offset)
        : m_fd(fd), m_name(std::move(name)), m_owned(false), m_regular(true), m_offset(offset) {}
    ~FdSource() override {
        if (m_owned) {
            ::close(m_fd);
        }
    }
    FdSource(const FdSource&) = delete;
    FdSource& operator=(const FdSource&) = delete;
    std::size_t read(char* dst, std::size_t cap) override {
        while (true) {
            ssize_t n =
                m_offset ? ::pread(m_fd, dst, cap, static_cast<off_t>(*m_offset)) : ::read(m_fd, dst, cap);
            if (n >= 0) {
                m_raw += static_cast<std::uint64_t>(n);
                if (m_offset) {
                    *m_offset += static_cast<std::uint64_t>(n);
                }
                return static_cast<std::size_t>(n);
            }
            if (errno != EINTR) {
                read_failed(m_name);
            }
        }
    }
    std::uint64_t raw_bytes() const override { return m_raw; }
    std::unique_ptr<ByteSource> reopen_at(std::uint64_t offset) const override {
        return m_regular ? std::make_unique<FdSource>(m_fd, m_name, offset) : nullptr;
    }

  private:
    int m_fd;
    std::string m_name;
    bool m_owned;
    bool m_regular;
    std::optional<std::uint64_t> m_offset;  // reading a part: where the next pread starts
    std::uint64_t m_raw = 0;
};

class MemorySource final : public ByteSource {
  public:
    explicit MemorySource(std::shared_ptr<const std::string> data, std::size_t pos = 0)
        : m_data(std::move(data)), m_pos(std::min(pos, m_data->size())) {}
    std::size_t read(char* dst, std::size_t cap) override {
        std::size_t n = std::min(cap, m_data->size() - m_pos);
        std::copy_n(m_data->data() + m_pos, n, dst);
        m_pos += n;
        return n;
    }
    std::uint64_t raw_bytes() const override { return m_pos; }
    std::unique_ptr<ByteSource> reopen_at(std::uint64_t offset) const override {
        return std::make_unique<MemorySource>(m_data, static_cast<std::size_t>(offset));
    }

  private:
    std::shared_ptr<const std::string> m_data;
    std::size_t m_pos = 0;
};

// Returns some already-read bytes first, then the rest of the inner source: how the first bytes are sniffed
// without seeking (stdin cannot seek).
class PrefixSource final : public ByteSource {
  public:
    PrefixSource(std::string prefix, std::unique_ptr<ByteSource> inner)
        : m_prefix(std::move(prefix)), m_inner(std::move(inner)) {}
    std::size_t read(char* dst, std::size_t cap) override {
        if (m_pos < m_prefix.size()) {
            std::size_t n = std::min(cap, m_prefix.size() - m_pos);
            std::memcpy(dst, m_prefix.data() + m_pos, n);
            m_pos += n;
            return n;
        }
        return m_inner->read(dst, cap);
    }
    std::uint64_t raw_bytes() const override { return m_inner->raw_bytes(); }
    // The prefix was read from the start of the inner source, so offsets are the inner source's.
    std::unique_ptr<ByteSource> reopen_at(std::uint64_t offset) const override {
        return m_inner->reopen_at(offset);
    }

  private:
    std::string m_prefix;
    std::size_t m_pos = 0;
    std::unique_ptr<ByteSource> m_inner;
};

class GzipSource final : public ByteSource {
  public:
    GzipSource(std::unique_ptr<ByteSource> inner, std::string name)
        : m_inner(std::move(inner)), m_name(std::move(name)) {
        std::memset(&m_z, 0, sizeof m_z);
        // 15 + 16: a gzip wrapper (not raw deflate or zlib).
        if (inflateInit2(&m_z, 15 + 16) != Z_OK) {
            throw Error(ErrorKind::internal, "zlib: cannot initialise");
        }
        m_in.resize(1 << 18);
    }
    ~GzipSource() override { inflateEnd(&m_z); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;
    std::size_t read(char* dst, std::size_t cap) override {
        if (m_pending) {
            throw *m_pending;
        }
        m_z.next_out = reinterpret_cast<Bytef*>(dst);
        m_z.avail_out = static_cast<uInt>(std::min<std::size_t>(cap, 1u << 30));
        while (m_z.avail_out > 0) {
            if (m_z.avail_in == 0 && !m_in_eof) {
                std::size_t n = m_inner->read(m_in.data(), m_in.size());
                if (n == 0) {
                    m_in_eof = true;
                } else {
                    m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
                    m_z.avail_in = static_cast<uInt>(n);
                }
            }
            uInt out_before = m_z.avail_out;
            uInt in_before = m_z.avail_in;
            int rc = inflate(&m_z, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                // Concatenated gzip members are one stream, as gzip(1) reads them.
                inflateReset(&m_z);
                m_mid_member = false;
                if (m_in_eof && m_z.avail_in == 0) {
                    break;
                }
                continue;
            }
            bool progress = m_z.avail_out != out_before || m_z.avail_in != in_before;
            if (rc == Z_OK || (rc == Z_BUF_ERROR && progress)) {
                m_mid_member = m_mid_member || progress;
                continue;
            }
            if (rc == Z_BUF_ERROR) {
                // No progress is possible: zlib has given all it had and the input is exhausted.
                if (!(m_in_eof && m_z.avail_in == 0)) {
                    continue;
                }
                if (m_mid_member) {
                    return fail(cap, Error(ErrorKind::data, fmt::format("{}: truncated gzip data", m_name),
                                           "the compressed file ends early; download or copy it again"));
                }
                break;
            }
            return fail(cap, Error(ErrorKind::data,
                                   fmt::format("{}: corrupt gzip data ({})", m_name,
                                               m_z.msg ? m_z.msg : "zlib error"),
                                   "the file starts like gzip but does not inflate; is it damaged?"));
        }
        return cap - m_z.avail_out;
    }
    std::uint64_t raw_bytes() const override { return m_inner->raw_bytes(); }

  private:
    // Hands out what was inflated before the error and raises it on the next read, so the records before a
    // damaged spot are the same whatever size the reader asks for.
    std::size_t fail(std::size_t cap, Error error) {
        std::size_t produced = cap - m_z.avail_out;
        if (produced == 0) {
            throw error;
        }
        m_pending = std::move(error);
        return produced;
    }

    std::unique_ptr<ByteSource> m_inner;
    std::string m_name;
    std::optional<Error> m_pending;
    z_stream m_z{};
    std::vector<char> m_in;
    bool m_in_eof = false;
    bool m_mid_member = false;
};

void put_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Transcodes to UTF-8 in blocks: UTF-16 (LE/BE, surrogate pairs) or single-byte latin1/cp1252.
class TranscodeSource final : public ByteSource {
  public:
    enum class From { utf16le, utf16be, latin1, cp1252 };
    TranscodeSource(std::unique_ptr<ByteSource> inner, From from, std::string name)
        : m_inner(std::move(inner)), m_from(from), m_name(std::move(name)) {
        m_in.resize(1 << 16);
    }
    std::size_t read(char* dst, std::size_t cap) override {
        while (m_out_pos == m_out.size() && !m_eof) {
            refill();
        }
        std::size_t n = std::min(cap, m_out.size() - m_out_pos);
        std::memcpy(dst, m_out.data() + m_out_pos, n);
        m_out_pos += n;
        return n;
    }
    std::uint64_t raw_bytes() const override { return m_inner->raw_bytes(); }

  private:
    void refill() {
        m_out.clear();
        m_out_pos = 0;
        std::size_t keep = m_carry.size();
        std::memcpy(m_in.data(), m_carry.data(), keep);
        std::size_t n = m_inner->read(m_in.data() + keep, m_in.size() - keep);
        if (n == 0) {
            m_eof = true;
            if (keep > 0) {
                throw Error(ErrorKind::data,
                            fmt::format("{}: the file ends inside a UTF-16 character", m_name),
                            "the file is truncated or not UTF-16");
            }
            return;
        }
        std::size_t len = keep + n;
        m_carry.clear();
        const auto* b = reinterpret_cast<const unsigned char*>(m_in.data());
        if (m_from == From::latin1 || m_from == From::cp1252) {
            static const char32_t k_cp1252[32] = {
                0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
            for (std::size_t i = 0; i < len; ++i) {
                char32_t cp = b[i];
                if (m_from == From::cp1252 && cp >= 0x80 && cp < 0xA0) {
                    cp = k_cp1252[cp - 0x80];
                }
                put_utf8(m_out, cp);
            }
            return;
        }
        std::size_t i = 0;
        while (i + 1 < len) {
            auto unit = [&](std::size_t k) -> char32_t {
                return m_from == From::utf16le ? static_cast<char32_t>(b[k] | (b[k + 1] << 8))
                                               : static_cast<char32_t>((b[k] << 8) | b[k + 1]);
            };
            char32_t u = unit(i);
            if (u >= 0xD800 && u < 0xDC00) {
                if (i + 3 >= len) {
                    break;  // the pair continues in the next block
                }
                char32_t lo = unit(i + 2);
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    throw Error(ErrorKind::data,
                                fmt::format("{}: invalid UTF-16 (unpaired surrogate)", m_name),
                                "the file is not valid UTF-16");
                }
                put_utf8(m_out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 4;
                continue;
            }
            if (u >= 0xDC00 && u <= 0xDFFF) {
                throw Error(ErrorKind::data, fmt::format("{}: invalid UTF-16 (unpaired surrogate)", m_name),
                            "the file is not valid UTF-16");
            }
            put_utf8(m_out, u);
            i += 2;
        }
        m_carry.assign(m_in.data() + i, m_in.data() + len);
    }

    std::unique_ptr<ByteSource> m_inner;
    From m_from;
    std::string m_name;
    std::vector<char> m_in;
    std::string m_carry;
    std::string m_out;
    std::size_t m_out_pos = 0;
    bool m_eof = false;
};

// Reads up to n bytes (fewer only at the end).
std::string peek(ByteSource& s, std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        std::size_t r = s.read(out.data() + got, n - got);
        if (r == 0) {
            break;
        }
        got += r;
    }
    out.resize(got);
    return out;
}

std::unique_ptr<ByteSource> stack(std::unique_ptr<ByteSource> src, const std::string& name,
                                  Encoding encoding) {
    std::string head = peek(*src, 4);
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1F &&
        static_cast<unsigned char>(head[1]) == 0x8B) {
        src = std::make_unique<GzipSource>(std::make_unique<PrefixSource>(head, std::move(src)), name);
        head = peek(*src, 4);
    }
    auto b = [&](std::size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0x100u; };
    using From = TranscodeSource::From;
    if (b(0) == 0xFF && b(1) == 0xFE) {
        return std::make_unique<TranscodeSource>(
            std::make_unique<PrefixSource>(head.substr(2), std::move(src)), From::utf16le, name);
    }
    if (b(0) == 0xFE && b(1) == 0xFF) {
        return std::make_unique<TranscodeSource>(
            std::make_unique<PrefixSource>(head.substr(2), std::move(src)), From::utf16be, name);
    }
    if (head.size() >= 4 && ((b(0) != 0 && b(1) == 0 && b(2) != 0 && b(3) == 0) ||
                             (b(0) == 0 && b(1) != 0 && b(2) == 0 && b(3) != 0))) {
        throw Error(ErrorKind::data, SourcePos{name, 1, 1},
                    "the file looks like UTF-16 without a byte-order mark (NUL every other byte)",
                    "re-save it as UTF-8 (or UTF-16 with a BOM, which csat reads)");
    }
    auto rest = std::make_unique<PrefixSource>(head, std::move(src));
    if (encoding == Encoding::latin1 || encoding == Encoding::cp1252) {
        return std::make_unique<TranscodeSource>(
            std::move(rest), encoding == Encoding::latin1 ? From::latin1 : From::cp1252, name);
    }
    return rest;
}

}  // namespace

std::unique_ptr<ByteSource> open_source(const std::string& path, Encoding encoding,
                                        std::uint64_t& total_bytes) {
    total_bytes = 0;
    if (path == "-") {
        return stack(std::make_unique<FdSource>(STDIN_FILENO, "standard input", false), "standard input",
                     encoding);
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        throw Error(ErrorKind::io, fmt::format("{}: cannot open: {}", path, std::strerror(err)),
                    err == ENOENT ? "check the path; globs must be quoted so csat can expand them"
                                  : "check the file's permissions");
    }
    struct stat st {};
    bool regular = false;
    if (::fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            ::close(fd);
            throw Error(ErrorKind::io, fmt::format("{}: is a directory", path), "name a CSV file");
        }
        if (S_ISREG(st.st_mode)) {
            regular = true;
            total_bytes = static_cast<std::uint64_t>(st.st_size);
            ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        }
    }
    return stack(std::make_unique<FdSource>(fd, path, true, regular), path, encoding);
}

std::unique_ptr<ByteSource> memory_source(std::string data, const std::string& name, Encoding encoding) {
    return stack(std::make_unique<MemorySource>(std::make_shared<const std::string>(std::move(data))), name,
                 encoding);
}

}  // namespace csat
