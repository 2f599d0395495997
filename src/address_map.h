// SPDX-License-Identifier: MIT
// An insert-only, lock-free map from a machine word to a record, over a
// reserved table (open addressing, linear probing). Keys are never removed:
// a record stays valid for the whole run, so readers need no lock and no
// reclamation scheme. Used for objects (by counter address) and pages.
#pragma once

#include "arena.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace refdebug {

// A hint to the CPU that this thread is spinning.
inline void cpu_relax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

template <class T> class AddressMap {
  public:
    // capacity_log2: table size; the map is full at half of it.
    // granule_log2: keys closer than 1 << granule_log2 are rarely both present
    // (4 for counter addresses, 0 for page numbers). Keys within one run of
    // kRun granules land in one run of kRun slots, in order, and runs are
    // scattered: the table pages touched follow the pages the keys come
    // from, instead of one page per key (a plain hash cost ~1.3 KB of
    // resident table per object at 100 k objects).
    explicit constexpr AddressMap(unsigned capacity_log2, unsigned granule_log2)
        : mask_((size_t(1) << capacity_log2) - 1), granule_(granule_log2)
    {
    }

    // The record for key, or null when absent.
    T *find(uintptr_t key) const
    {
        const Slot *t = slots_.load(std::memory_order_acquire);
        if (!t)
            return nullptr;
        for (size_t i = hash(key) & mask_, n = 0; n <= mask_; i = (i + 1) & mask_, ++n) {
            uintptr_t k = t[i].key.load(std::memory_order_acquire);
            if (k == key)
                return wait_value(t[i]);
            if (!k)
                return nullptr;
        }
        return nullptr;
    }

    // The record for key, made by make(key) if absent; null when full or out of memory.
    template <class Make> T *find_or_create(uintptr_t key, Make make)
    {
        if (!ensure_table())
            return nullptr;
        if (size_.load(std::memory_order_relaxed) > (mask_ + 1) / 2)
            return find(key);
        Slot *t = slots_.load(std::memory_order_acquire);
        for (size_t i = hash(key) & mask_, n = 0; n <= mask_; i = (i + 1) & mask_, ++n) {
            Slot &s = t[i];
            uintptr_t k = s.key.load(std::memory_order_acquire);
            if (!k && s.key.compare_exchange_strong(k, key, std::memory_order_acq_rel)) {
                T *made = make(key);
                s.value.store(made ? made : dead(), std::memory_order_release);
                size_.fetch_add(1, std::memory_order_relaxed);
                return made;
            }
            if (k == key)
                return wait_value(s);
        }
        return nullptr;
    }

    size_t size() const { return size_.load(std::memory_order_relaxed); }

  private:
    struct Slot {
        std::atomic<uintptr_t> key;
        std::atomic<T *> value;
    };

    static T *dead() { return reinterpret_cast<T *>(uintptr_t(1)); }

    static constexpr unsigned kRunLog2 = 8; // 256 slots of 16 bytes: one 4 KB page

    size_t hash(uintptr_t k) const
    {
        uint64_t run = k >> (granule_ + kRunLog2);
        run ^= run >> 33;
        run *= 0xff51afd7ed558ccdull;
        run ^= run >> 33;
        return static_cast<size_t>(run << kRunLog2 | ((k >> granule_) & ((1u << kRunLog2) - 1)));
    }

    // A slot whose key is claimed gets its value a moment later.
    static T *wait_value(const Slot &s)
    {
        T *v;
        while (!(v = s.value.load(std::memory_order_acquire)))
            cpu_relax();
        return v == dead() ? nullptr : v;
    }

    bool ensure_table()
    {
        Slot *t = slots_.load(std::memory_order_acquire);
        if (t)
            return true;
        auto *fresh = static_cast<Slot *>(reserve_table(sizeof(Slot) * (mask_ + 1)));
        if (!fresh)
            return false;
        // Losing the race leaves an untouched reservation mapped: harmless.
        slots_.compare_exchange_strong(t, fresh, std::memory_order_acq_rel);
        return true;
    }

    const size_t mask_;
    const unsigned granule_;
    std::atomic<Slot *> slots_{nullptr};
    std::atomic<size_t> size_{0};
};

} // namespace refdebug
