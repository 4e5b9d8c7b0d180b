// Private to the pipeline: reading one input file in chunks, on several threads when the file can be split.
// Each chunk's records are digested into a batch on a worker thread or on the calling thread, and the
// batches reach `apply` on the calling thread in input order, so everything that depends on earlier rows
// (first occurrences, duplicate policies, accounting, the first error) happens exactly as if one thread had
// read the file from the top.
//
// A chunk boundary is a guess: the first line start after a fixed offset. It is right unless that line
// break sits inside a quoted field, or after a blank line (where a report footer may follow). The chunk
// before it tells: it reads on past its nominal end to the next record boundary, and if that is not where
// the next chunk began, in the default state, the next chunk is read again from the true boundary.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>

#include "csat/csv_reader.hpp"

namespace csat::pipeline {

// What the driver needs of a batch; the loaders derive their row batches from it.
struct ChunkBatch {
    virtual ~ChunkBatch() = default;
    virtual void reset() = 0;  // empty again, keeping capacity
    // Lines the digest recorded are counted from the chunk's start: add this to get the file's line.
    std::uint64_t lines_before = 0;
    std::uint64_t offset_end = 0;  // decoded offset where the batch's rows end
    std::uint64_t raw_done = 0;    // bytes of the file read by then (compressed, for gzip), for progress
};

struct ChunkPlan {
    unsigned threads = 1;                  // the calling thread and threads - 1 workers
    std::uint64_t chunk_bytes = 4u << 20;  // nominal chunk size when split
    std::size_t rows_per_batch = 16384;    // batch size when not split
};

struct ChunkTotals {
    std::uint64_t blank_lines = 0;
    std::uint64_t footer_lines = 0;
    std::uint64_t repeated_headers = 0;
};

// digest(reader, batch, max_rows) reads up to max_rows records into the batch and returns whether there may
// be more. It runs on any thread, so it may touch only the batch and read shared state that stays fixed.
using DigestChunk = std::function<bool(CsvReader&, ChunkBatch&, std::size_t)>;
using ApplyBatch = std::function<void(ChunkBatch&)>;
using MakeBatch = std::function<std::unique_ptr<ChunkBatch>()>;

// Reads the rest of `reader` (its header already read). A data error in the input reaches the caller after
// the rows before it were applied, with its line counted from the top of the file.
ChunkTotals read_in_chunks(CsvReader& reader, const ChunkPlan& plan, const MakeBatch& make_batch,
                           const DigestChunk& digest, const ApplyBatch& apply);

}  // namespace csat::pipeline
