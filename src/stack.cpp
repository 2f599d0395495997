// SPDX-License-Identifier: MIT
#include "stack.h"

#include "capture.h"
#include "depot.h"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace refdebug {
namespace {

bool ends_with(const std::string &s, const char *tail)
{
    const size_t n = std::char_traits<char>::length(tail);
    return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}

bool from_the_header(const std::string &file)
{
    return ends_with(file, "linux/refcount.h") || ends_with(file, "linux/refcount_extras.h");
}

// The function a return address's call instruction called, when it is a
// direct call (x86-64 "call rel32") to the start of a known function; 0 otherwise.
uintptr_t direct_call_target(uintptr_t return_address)
{
#if defined(__x86_64__)
    constexpr size_t kCall = 5;
    if (return_address < kCall || !in_loaded_code(return_address - kCall, kCall))
        return 0;
    const auto *code = reinterpret_cast<const unsigned char *>(return_address - kCall);
    if (code[0] != 0xe8)
        return 0;
    int32_t rel;
    std::memcpy(&rel, code + 1, sizeof rel);
    const uintptr_t target = return_address + static_cast<intptr_t>(rel);
    return function_start(target) == target ? target : 0;
#else
    (void)return_address;
    return 0;
#endif
}

} // namespace

const std::vector<Frame> &stack_of(SiteId id)
{
    // Leaked on purpose, as the symbolizer's cache.
    static auto *lock = new std::mutex;
    static auto *cache = new std::unordered_map<uint32_t, std::vector<Frame>>;
    {
        std::lock_guard<std::mutex> guard(*lock);
        auto it = cache->find(id.value);
        if (it != cache->end())
            return it->second;
    }
    std::vector<Frame> frames;
    if (const Site *s = depot_get(id)) {
        for (size_t i = 0; i < s->depth; ++i) {
            // A tail call leaves no frame: a function that jumped on to the
            // next one in (or to the hook) is missing between them. Its
            // caller's call instruction still names it.
            // Same function: the same start (names differ without debug
            // information, where they carry the offset: "f+0x1", "f+0x3e").
            const std::string callee = !frames.empty()          ? frames.back().sym->function
                                       : is_memory_event(s->op) ? "free"
                                                                : "refdebug_refcount_op";
            const uintptr_t callee_start = frames.empty() ? 0 : function_start(frames.back().pc - 1);
            if (const uintptr_t target = direct_call_target(s->frames[i])) {
                const Symbol &called = symbolize_inline(target + 1).back();
                if (target != callee_start && called.function != callee && called.function != "??") {
                    // It may have jumped on again (dso__put() to dso__delete(),
                    // which jumps to free()): its DWARF names its tail calls;
                    // follow one while it is the only one, short of the callee.
                    std::vector<const Symbol *> chain; // outermost first
                    for (uintptr_t at = target; chain.size() < 3;) {
                        const std::vector<TailCall> &calls = tail_calls(at);
                        if (calls.size() != 1 || calls[0].function == callee || !calls[0].entry ||
                            calls[0].entry == callee_start)
                            break;
                        const Symbol &next = symbolize_inline(calls[0].entry + 1).back();
                        if (next.function == callee || next.function == "??")
                            break;
                        chain.push_back(&next);
                        at = calls[0].entry;
                    }
                    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                        frames.push_back(Frame{s->frames[i], *it, true});
                    frames.push_back(Frame{s->frames[i], &called, true});
                }
            }
            for (const Symbol &sym : symbolize_inline(s->frames[i])) {
                // The header's own helpers, inlined into the caller, are not the caller's code.
                if (frames.empty() && sym.inlined && from_the_header(sym.file))
                    continue;
                frames.push_back(Frame{s->frames[i], &sym, false});
            }
        }
    }
    std::lock_guard<std::mutex> guard(*lock);
    return cache->emplace(id.value, std::move(frames)).first->second;
}

// The distinct functions on a site's stack (recursion counted once);
// cached, as stack_of() is: the owners of every leaked object ask for the
// same sites.
namespace {
std::mutex *function_sets_lock = new std::mutex; // leaked, as stack_of()'s cache
auto *function_sets = new std::unordered_map<uint32_t, std::set<std::string>>;
} // namespace

void forget_function_sets()
{
    std::lock_guard<std::mutex> guard(*function_sets_lock);
    function_sets->clear();
}

const std::set<std::string> &functions_on(SiteId id)
{
    std::mutex *lock = function_sets_lock;
    std::unordered_map<uint32_t, std::set<std::string>> *cache = function_sets;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = cache->find(id.value);
    if (it == cache->end()) {
        std::set<std::string> functions;
        for (const Frame &f : stack_of(id))
            functions.insert(f.sym->function);
        it = cache->emplace(id.value, std::move(functions)).first;
    }
    return it->second;
}

size_t frame_of(SiteId id, const std::string &function)
{
    const std::vector<Frame> &s = stack_of(id);
    for (size_t i = 1; i < s.size(); ++i)
        if (s[i].sym->function == function)
            return i;
    return 0;
}

size_t depth_of(SiteId id, const std::string &function)
{
    const std::vector<Frame> &s = stack_of(id);
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i].sym->function == function)
            return i;
    return SIZE_MAX;
}

bool thread_start(const std::string &f)
{
    return f == "start_thread" || f == "clone" || f == "clone3" || f.find("thread_start") != std::string::npos;
}

} // namespace refdebug
