// SPDX-License-Identifier: MIT
// Where objects' blocks start, for the freed-holder scan: a holder points at
// a struct's start, the registry knows its counter. The counter's offset
// inside its block is learned from the blocks freed with a counter inside
// (one offset per struct type, a few in all), and every counter less every
// offset goes into a filter of possible starts, so that a word of a freed
// block is tested against it with one lookup.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace refdebug {

constexpr size_t kMaxOffsets = 16;      // struct types told apart
constexpr uintptr_t kMaxOffset = 4096;  // a counter further into its block is not learned

// A counter at offset inside a freed block. True when the offset is new:
// the caller then notes every known counter at it.
bool bases_learn_offset(uintptr_t offset);

// The offsets learned so far; returns how many (at most kMaxOffsets).
size_t bases_offsets(uintptr_t *out);

// Notes the starts a counter's block may have: one per known offset, or,
// when its block's start is known (offset + 1 in block_offset; 0: not
// known), only that one. Noting every offset for every counter would fill
// the filter as the struct types grow in number.
void bases_note_counter(uintptr_t counter, uint16_t block_offset = 0);
void bases_note_counter_at(uintptr_t counter, uintptr_t offset);

// Whether word may be the start of a block holding a counter (false
// positives are rare; no false negatives, but for a counter noted while
// its offset was being learned on another thread). Inline: the scan asks
// it of every word that falls between the lowest and highest start.
namespace bases_detail {
constexpr unsigned kFilterBitsLog2 = 21; // 2 M bits, two per start: ~3 % false positives at 100 k starts
extern std::atomic<uint64_t> filter[(size_t(1) << kFilterBitsLog2) / 64];
extern std::atomic<uintptr_t> lowest, highest; // counters noted
inline uint64_t mix(uintptr_t start) { return (start >> 3) * 0x9e3779b97f4a7c15ull; }
inline size_t first_bit(uint64_t h) { return static_cast<size_t>(h >> (64 - kFilterBitsLog2)); }
inline size_t second_bit(uint64_t h) { return static_cast<size_t>(h >> 20) & ((size_t(1) << kFilterBitsLog2) - 1); }
inline bool test(size_t bit) { return filter[bit / 64].load(std::memory_order_relaxed) >> (bit % 64) & 1; }
} // namespace bases_detail

// The range every start lies in: [low, low + span].
inline void bases_range(uintptr_t *low, uintptr_t *span)
{
    const uintptr_t lo = bases_detail::lowest.load(std::memory_order_relaxed);
    const uintptr_t hi = bases_detail::highest.load(std::memory_order_relaxed);
    *low = lo > kMaxOffset ? lo - kMaxOffset : 0;
    *span = hi >= *low ? hi - *low : 0;
}

inline bool bases_may_start(uintptr_t word)
{
    using namespace bases_detail;
    const uint64_t h = mix(word);
    return test(first_bit(h)) && test(second_bit(h));
}

} // namespace refdebug
