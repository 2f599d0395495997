// SPDX-License-Identifier: MIT
#include "object_bases.h"

#include <atomic>

namespace refdebug {
namespace {

using namespace bases_detail;

std::atomic<uint32_t> offsets[kMaxOffsets]; // offset + 1; 0: free slot

void set(size_t bit) { filter[bit / 64].fetch_or(uint64_t(1) << (bit % 64), std::memory_order_relaxed); }

} // namespace

namespace bases_detail {
std::atomic<uint64_t> filter[(size_t(1) << kFilterBitsLog2) / 64];
std::atomic<uintptr_t> lowest{UINTPTR_MAX}, highest{0};
} // namespace bases_detail

bool bases_learn_offset(uintptr_t offset)
{
    if (offset >= kMaxOffset)
        return false;
    const uint32_t value = static_cast<uint32_t>(offset) + 1;
    for (std::atomic<uint32_t> &slot : offsets) {
        uint32_t seen = slot.load(std::memory_order_relaxed);
        if (seen == value)
            return false;
        if (!seen) {
            if (slot.compare_exchange_strong(seen, value, std::memory_order_acq_rel))
                return true;
            if (seen == value)
                return false;
        }
    }
    return false; // full: further struct types go unseen
}

size_t bases_offsets(uintptr_t *out)
{
    size_t n = 0;
    for (const std::atomic<uint32_t> &slot : offsets)
        if (const uint32_t v = slot.load(std::memory_order_acquire))
            out[n++] = v - 1;
    return n;
}

void bases_note_counter_at(uintptr_t counter, uintptr_t offset)
{
    const uint64_t h = mix(counter - offset);
    set(first_bit(h));
    set(second_bit(h));
}

void bases_note_counter(uintptr_t counter, uint16_t block_offset)
{
    uintptr_t low = lowest.load(std::memory_order_relaxed);
    while (counter < low && !lowest.compare_exchange_weak(low, counter, std::memory_order_relaxed))
        ;
    uintptr_t high = highest.load(std::memory_order_relaxed);
    while (counter > high && !highest.compare_exchange_weak(high, counter, std::memory_order_relaxed))
        ;
    if (block_offset) {
        bases_note_counter_at(counter, block_offset - 1u);
        return;
    }
    uintptr_t known[kMaxOffsets];
    const size_t n = bases_offsets(known);
    for (size_t i = 0; i < n; ++i)
        bases_note_counter_at(counter, known[i]);
}

} // namespace refdebug
