// SPDX-License-Identifier: MIT
#include "free_sites.h"

#include <atomic>
#include <cstddef>

namespace refdebug {

struct FreeSite {
    std::atomic<uintptr_t> pc{0};
    std::atomic<uint32_t> scans{0};
    std::atomic<uint32_t> held{0};          // blocks that held a pointer to a live object
    std::atomic<uintptr_t> first_outer{0};  // the caller seen first
    std::atomic<bool> helper{false};        // frees for two or more callers
};

namespace {

constexpr size_t kSites = 4096;
constexpr uint32_t kProbes = 16;       // first calls whose caller is looked at,
constexpr uint32_t kProbePeriod = 64;  // then one in this many: a helper's first calls may all
                                       // come from one loop
constexpr uint32_t kQuietScans = 64;   // blocks without a holder before a site goes quiet
constexpr uint32_t kQuietPeriod = 16;  // a quiet site: one block in this many is read (one that
                                       // holds makes the site read in full again)
FreeSite sites[kSites];

} // namespace

FreeSite *free_site(uintptr_t pc)
{
    size_t i = static_cast<size_t>((pc * 0x9e3779b97f4a7c15ull) >> 52) % kSites;
    for (size_t n = 0; n < 16; ++n, i = (i + 1) % kSites) {
        uintptr_t seen = sites[i].pc.load(std::memory_order_relaxed);
        if (seen == pc)
            return &sites[i];
        if (!seen && (sites[i].pc.compare_exchange_strong(seen, pc, std::memory_order_relaxed) || seen == pc))
            return &sites[i];
    }
    return nullptr;
}

bool free_site_should_scan(FreeSite *site, uintptr_t (*outer_pc)(void *), void *ctx)
{
    if (!site)
        return true;
    // Counts need not be exact: a lost increment only shifts the sampling.
    const uint32_t scans = site->scans.load(std::memory_order_relaxed);
    site->scans.store(scans + 1, std::memory_order_relaxed);
    if ((scans < kProbes || scans % kProbePeriod == 0) && !site->helper.load(std::memory_order_relaxed)) {
        if (const uintptr_t outer = outer_pc(ctx)) {
            uintptr_t first = 0;
            if (!site->first_outer.compare_exchange_strong(first, outer, std::memory_order_relaxed) &&
                first != outer)
                site->helper.store(true, std::memory_order_relaxed);
        }
    }
    return scans < kQuietScans || site->helper.load(std::memory_order_relaxed) ||
           site->held.load(std::memory_order_relaxed) || scans % kQuietPeriod == 0;
}

void free_site_held(FreeSite *site)
{
    if (site)
        site->held.fetch_add(1, std::memory_order_relaxed);
}

} // namespace refdebug
