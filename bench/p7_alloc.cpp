// SPDX-License-Identifier: MIT
// P7, allocation: what the runtime's allocator wrappers cost (each block's
// slack past the size asked for cleared, its memory marked in use again,
// each free() watched for objects in it), against glibc's own
// __libc_malloc()/__libc_free(), which the runtime does not wrap, in the
// same process. Sizes vary as a program's strings and structs do; one live
// object keeps the registry from being empty.
#include "bench.h"

#include <cstdlib>
#include <cstring>

extern "C" void *__libc_malloc(size_t);
extern "C" void __libc_free(void *);
extern "C" void *__libc_realloc(void *, size_t);

using namespace bench;

namespace {

constexpr int kBlocks = 256;
constexpr int kRounds = 2000;
constexpr int kRepeats = 7;

volatile size_t sink;

template <class Alloc, class Realloc, class Free> double per_pair(Alloc alloc, Realloc grow, Free release)
{
    void *blocks[kBlocks];
    const double t = best_of(kRepeats, [&] {
        for (int r = 0; r < kRounds; ++r) {
            for (int i = 0; i < kBlocks; ++i) {
                // 13 to 301 bytes: most land past a size class's start, with slack.
                blocks[i] = alloc(13 + static_cast<size_t>((i * 37 + r) % 289));
                static_cast<char *>(blocks[i])[0] = static_cast<char>(i);
            }
            for (int i = 0; i < kBlocks; i += 4)
                blocks[i] = grow(blocks[i], 320 + static_cast<size_t>(i));
            for (int i = 0; i < kBlocks; ++i) {
                sink = sink + static_cast<unsigned char>(static_cast<char *>(blocks[i])[0]);
                release(blocks[i]);
            }
        }
    });
    return t / (double(kRounds) * kBlocks);
}

} // namespace

int main()
{
    Obj live;
    refcount_set(&live.ref, 1);
    const double libc = per_pair([](size_t n) { return __libc_malloc(n); },
                                 [](void *p, size_t n) { return __libc_realloc(p, n); },
                                 [](void *p) { __libc_free(p); });
    const double wrapped = per_pair([](size_t n) { return std::malloc(n); },
                                    [](void *p, size_t n) { return std::realloc(p, n); },
                                    [](void *p) { std::free(p); });
    std::printf("P7 allocation (malloc + free, a quarter realloc'd, %d blocks x %d rounds):\n", kBlocks, kRounds);
    std::printf("  glibc's own        %7.1f ns per block\n", libc * 1e9);
    std::printf("  runtime's wrappers %7.1f ns per block   %.2fx glibc\n", wrapped * 1e9, wrapped / libc);
    if (refcount_dec_and_test(&live.ref))
        sink = sink + 1;
    return 0;
}
