// Private to the reader: byte sources. A file or stdin read with read(2) in large blocks, memory, gzip
// (detected by magic bytes, whatever the name), and transcoders to UTF-8 from UTF-16 and Windows-1252/latin1.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "csat/csv_reader.hpp"

namespace csat {

class ByteSource {
  public:
    virtual ~ByteSource() = default;
    // Reads up to cap bytes; 0 means the end. Throws Error(io) or Error(data).
    virtual std::size_t read(char* dst, std::size_t cap) = 0;
    // Raw bytes consumed from the underlying file (for progress).
    virtual std::uint64_t raw_bytes() const = 0;
    // A new source over the same bytes from `offset` on, which another thread may read while this one is
    // alive; null when the input cannot be reopened that way (stdin and pipes, gzip, transcoded input).
    virtual std::unique_ptr<ByteSource> reopen_at(std::uint64_t /*offset*/) const { return nullptr; }
};

// Opens path ("-" = stdin) or wraps data, then stacks gzip and transcoding as the first bytes and the
// encoding ask. total_bytes is set to the file size when known.
std::unique_ptr<ByteSource> open_source(const std::string& path, Encoding encoding,
                                        std::uint64_t& total_bytes);
std::unique_ptr<ByteSource> memory_source(std::string data, const std::string& name, Encoding encoding);

}  // namespace csat
