// SPDX-License-Identifier: MIT
// The runtime's entry points: the hook the header calls, the free()/realloc()
// watch, start-up, fork and the exit report. Everything here is thin; the
// work is in registry, depot, capture and report.
#include "arena.h"
#include "capture.h"
#include "depot.h"
#include "free_sites.h"
#include "options.h"
#include "output.h"
#include "registry.h"
#include "report.h"
#include "suppressions.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <sstream>
#include <malloc.h>
#include <mutex>
#include <pthread.h>
#include <csignal>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" {
// glibc's own allocator entry points, used until dlsym() has answered.
void __libc_free(void *);
void *__libc_realloc(void *, size_t);
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_memalign(size_t, size_t);
void *__libc_valloc(size_t);
void *__libc_pvalloc(size_t);
// Lets a program set its own defaults; REFDEBUG_OPTIONS still wins.
__attribute__((weak)) const char *refdebug_default_options(void);
}

namespace refdebug {
namespace {

// Code that may run before any constructor, even a sanitizer's (which calls
// free() while it initializes): not instrumented, or it would touch shadow
// memory that does not exist yet. Sanitizer builds do not inline instrumented
// code into it, so it uses __atomic builtins rather than std::atomic.
#define REFDEBUG_EARLY __attribute__((no_sanitize("address", "thread", "undefined")))

// Per-thread state: plain data in initial-exec TLS, so reaching it never allocates.
struct ThreadState {
    bool in_runtime;    // re-entry guard (signal handlers, our own allocations)
    bool stack_known;   // stack bounds looked up
    bool used_hook;     // this thread has made a refcount operation (ThreadSanitizer builds only)
    uint32_t tid;       // cached gettid(); 0 until first use
    uintptr_t stack_lo, stack_hi; // this thread's stack (plain words: __thread needs a trivial type)
    // The blocks this thread allocated last: a counter set up inside one
    // says where counters lie in blocks of its type (the freed-holder scan).
    uintptr_t recent_begin[4], recent_end[4];
    unsigned recent_next;
};
// __thread, not thread_local: no TLS wrapper call, which sanitizer builds emit
// and which would run before the sanitizer itself is ready.
__thread ThreadState thread_state __attribute__((tls_model("initial-exec")));

// What start() decides. A function-local static, so that it is constructed on
// first use whatever order the loader runs constructors in.
struct Config {
    Options options;                  // read once at start
    bool sites_table = true;          // sites_path is not "none"
    bool sites_path_explicit = false; // given by the user: always written
    Suppressions suppressions;        // from the suppressions file
};
Config &config()
{
    static Config *c = new Config; // leaked on purpose: used by the exit report
    return *c;
}

// Constant-initialized state, safe to read before any constructor ran.
bool enabled_flag = false;         // options read, hooks may record (__atomic builtins: see is_enabled())
std::atomic<int> depth{16};        // frames per capture (the depth option)
std::atomic<Unwind> unwind{Unwind::automatic}; // the unwind option
std::atomic<uint64_t> errors{0};   // errors reported so far
std::atomic<uint64_t> suppressed_errors{0}; // errors silenced by error: suppressions
std::atomic<bool> report_requested{false};   // report_signal arrived; the next operation reports
std::atomic<bool> memory_warned{false};      // the out-of-memory warning was given
std::atomic<uint8_t> *filter_verdicts;       // per site id: 0 unknown, 1 record, 2 ignore
std::mutex log_lock;               // serializes report output
std::vector<ErrorSite> *error_sites; // errors by kind and stack, under log_lock (leaked on purpose)
constexpr size_t kMaxErrorSites = 1024; // beyond: counted, not listed
Writer *log = nullptr;             // the report destination (leaked on purpose)
void (*real_free)(void *) = __libc_free;
REFDEBUG_EARLY bool is_enabled() { return __atomic_load_n(&enabled_flag, __ATOMIC_ACQUIRE); }
void *(*real_realloc)(void *, size_t) = __libc_realloc;
void *(*real_malloc)(size_t) = __libc_malloc;
void *(*real_calloc)(size_t, size_t) = __libc_calloc;
void *(*real_memalign)(size_t, size_t) = __libc_memalign;
int (*real_posix_memalign)(void **, size_t, size_t) = nullptr;
void *(*real_aligned_alloc)(size_t, size_t) = nullptr;
void *(*real_valloc)(size_t) = nullptr;
void *(*real_pvalloc)(size_t) = nullptr;

// Marks the thread as inside the runtime for a scope (scopes nest).
class Guard {
  public:
    Guard() : outer_(thread_state.in_runtime) { thread_state.in_runtime = true; }
    ~Guard() { thread_state.in_runtime = outer_; }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

  private:
    bool outer_;
};

uint32_t current_tid()
{
    if (!thread_state.tid)
        thread_state.tid = static_cast<uint32_t>(syscall(SYS_gettid));
    return thread_state.tid;
}

// This thread's stack, looked up once per thread. Not from inside free():
// pthread_getattr_np() itself frees while it holds the thread's lock, and
// asking it again from there deadlocks (AddressSanitizer asks at every
// thread's start); free() uses what is known, {0, 0} before.
StackBounds thread_stack(bool look_up = true)
{
    ThreadState &t = thread_state;
    if (!t.stack_known && !look_up)
        return StackBounds{};
    if (!t.stack_known) {
        t.stack_known = true;
        const StackBounds b = current_stack_bounds();
        t.stack_lo = b.lo;
        t.stack_hi = b.hi;
    }
    StackBounds b;
    b.lo = t.stack_lo;
    b.hi = t.stack_hi;
    return b;
}

bool on_this_stack(uintptr_t address)
{
    const StackBounds b = thread_stack();
    return address >= b.lo && address < b.hi;
}

std::string program_name()
{
    const char *name = program_invocation_short_name;
    return name && *name ? name : "?";
}

Writer &log_writer()
{
    if (!log) {
        std::string path = config().options.log_path;
        if (path != "stderr")
            path += "." + std::to_string(getpid());
        log = new Writer(path);
    }
    return *log;
}

void note_error_site(ErrorKind e, SiteId at, const Suspect &suspect)
{
    if (!error_sites)
        error_sites = new std::vector<ErrorSite>;
    for (ErrorSite &known : *error_sites) {
        if (known.kind == e && known.site == at) {
            known.count += 1;
            return;
        }
    }
    if (error_sites->size() >= kMaxErrorSites)
        return;
    error_sites->push_back(ErrorSite{e, at, 1, suspect.function, suspect.site});
}

void report_error(ErrorKind e, const ObjectSnapshot &o, SiteId at)
{
    if (stack_matches(config().suppressions.error, at)) {
        suppressed_errors.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    errors.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard<std::mutex> guard(log_lock);
        // Which put had no get, asked once for the text and the JSON.
        const Suspect suspect = e == ErrorKind::use_after_release || e == ErrorKind::underflow
                                    ? over_release_suspect(o, at)
                                    : e == ErrorKind::freed_while_referenced ? kept_references_suspect(o)
                                                                             : Suspect{};
        note_error_site(e, at, suspect);
        print_error(log_writer(), e, o, at, current_tid(), suspect);
    }
    if (config().options.abort_on_error)
        abort();
}

// Captures the stack above a hook entry whose frame is frame and return address caller_pc.
SiteId capture_site(Op op, uintptr_t caller_pc, uintptr_t frame)
{
    uintptr_t frames[kMaxDepth];
    const size_t n = capture_stack(frames, static_cast<size_t>(depth.load(std::memory_order_relaxed)), caller_pc,
                                   frame, unwind.load(std::memory_order_relaxed), thread_stack(!is_memory_event(op)));
    return depot_intern(op, frames, n);
}

// The filter option, decided once per birth site (symbolizing its stack once).
bool birth_passes_filter(SiteId birth)
{
    if (!birth || birth.value >= kMaxSites)
        return true;
    std::atomic<uint8_t> &verdict = filter_verdicts[birth.value];
    uint8_t v = verdict.load(std::memory_order_relaxed);
    if (!v) {
        v = stack_matches({config().options.filter}, birth) ? 1 : 2;
        verdict.store(v, std::memory_order_relaxed);
    }
    return v == 1;
}

// pid of the process that read the options; a forked child differs.
int started_pid = 0;

// An explicitly named output file; a forked child writes PATH.<pid>, so that
// parent and child do not overwrite each other.
std::string output_path(const std::string &path)
{
    return getpid() == started_pid ? path : path + "." + std::to_string(getpid());
}

// The site table's path: the default names the writing process, so a forked
// child never writes its parent's table.
std::string sites_path()
{
    const Config &c = config();
    if (c.sites_path_explicit)
        return output_path(c.options.sites_path);
    return "refdebug." + std::to_string(getpid()) + ".sites";
}

// Prints a report of objects born at or after epoch; returns leaked objects.
uint64_t report(uint64_t since_epoch, const std::string &title, bool at_exit)
{
    Guard guard;
    const Config &c = config();
    Analysis a = analyze(since_epoch);
    suppress_leaks(a, c.suppressions.leak);
    const uint64_t errs = errors.load(std::memory_order_relaxed);
    const bool found = a.leaked_objects || (at_exit && errs);
    // A process that never touched a refcount_t (time, a shell, perf
    // record's workload) writes no named file: it may have started the
    // program under watch by fork and exec and exit after it, and the names
    // would be the same.
    const bool watched = a.objects || errs;
    std::lock_guard<std::mutex> lock(log_lock);
    if (found || c.options.verbosity >= 1) {
        // Written whenever a report is printed (verbosity=1: even a clean one).
        const std::string sites = sites_path();
        const bool written = c.sites_table && (watched || !c.sites_path_explicit) &&
                             write_site_table(sites, a, program_name(), getpid());
        print_report(log_writer(), a, errs, suppressed_errors.load(std::memory_order_relaxed),
                     c.options.verbosity >= 1, title, written ? sites : "");
    } else if (c.sites_table && c.sites_path_explicit && watched) {
        write_site_table(sites_path(), a, program_name(), getpid());
    }
    if (!watched)
        return a.leaked_objects;
    if (!c.options.folded_path.empty())
        write_folded(output_path(c.options.folded_path), a);
    if (!c.options.json_path.empty()) {
        const JsonHeader h{program_name(),
                           getpid(),
                           at_exit ? "exit" : since_epoch ? "since-checkpoint" : "live",
                           errs,
                           suppressed_errors.load(std::memory_order_relaxed),
                           error_sites ? *error_sites : std::vector<ErrorSite>{}};
        write_json(output_path(c.options.json_path), h, a);
    }
    return a.leaked_objects;
}

void report_at_exit()
{
    if (!is_enabled())
        return;
    const uint64_t leaked = report(0, "refdebug report for " + program_name() + " (pid " +
                                          std::to_string(getpid()) + ")",
                                   true);
    if (config().options.exitcode && (leaked || errors.load())) {
        fflush(nullptr);
        _exit(config().options.exitcode);
    }
}

void after_fork_child()
{
    thread_state.tid = 0;
    thread_state.in_runtime = false;
    registry_after_fork_child();
    registry_set_pid(getpid());
    depot_after_fork_child();
    new (&log_lock) std::mutex; // a holder from before fork() is gone
    errors.store(0, std::memory_order_relaxed); // the parent's errors are the parent's to report
    suppressed_errors.store(0, std::memory_order_relaxed);
    if (error_sites)
        error_sites->clear();
    if (log && !log->on_stderr()) {
        // log_path names PATH.<pid>: the child opens its own on first use.
        log->discard();
        delete log;
        log = nullptr;
    }
}

int allocator = 0; // 0: not resolved, 1: dlsym() is answering, 2: resolved

// Finds the free(), realloc(), malloc(), calloc() and the aligned
// allocators after ours (the C library's, or a sanitizer's), on first
// use. False while dlsym() is still answering (it may
// itself free): the caller then keeps its block rather than hand it to an
// allocator that did not make it.
REFDEBUG_EARLY __attribute__((noinline)) bool resolve_allocator_slowly()
{
    int expected = 0;
    if (!__atomic_compare_exchange_n(&allocator, &expected, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return expected == 2;
    if (void *f = dlsym(RTLD_NEXT, "free"))
        real_free = reinterpret_cast<void (*)(void *)>(f);
    if (void *r = dlsym(RTLD_NEXT, "realloc"))
        real_realloc = reinterpret_cast<void *(*)(void *, size_t)>(r);
    if (void *m = dlsym(RTLD_NEXT, "malloc"))
        real_malloc = reinterpret_cast<void *(*)(size_t)>(m);
    if (void *c = dlsym(RTLD_NEXT, "calloc"))
        real_calloc = reinterpret_cast<void *(*)(size_t, size_t)>(c);
    if (void *m = dlsym(RTLD_NEXT, "memalign"))
        real_memalign = reinterpret_cast<void *(*)(size_t, size_t)>(m);
    if (void *m = dlsym(RTLD_NEXT, "posix_memalign"))
        real_posix_memalign = reinterpret_cast<int (*)(void **, size_t, size_t)>(m);
    if (void *a = dlsym(RTLD_NEXT, "aligned_alloc"))
        real_aligned_alloc = reinterpret_cast<void *(*)(size_t, size_t)>(a);
    if (void *v = dlsym(RTLD_NEXT, "valloc"))
        real_valloc = reinterpret_cast<void *(*)(size_t)>(v);
    if (void *v = dlsym(RTLD_NEXT, "pvalloc"))
        real_pvalloc = reinterpret_cast<void *(*)(size_t)>(v);
    __atomic_store_n(&allocator, 2, __ATOMIC_RELEASE);
    return true;
}

// Every malloc() asks: the answer once known is one load.
REFDEBUG_EARLY inline bool resolve_allocator()
{
    return __atomic_load_n(&allocator, __ATOMIC_ACQUIRE) == 2 || resolve_allocator_slowly();
}

void start()
{
    Guard guard;
    Config &c = config();
    Options &options = c.options;
    std::string warnings;
    if (refdebug_default_options)
        parse_options(refdebug_default_options(), options, warnings);
    parse_options(secure_getenv("REFDEBUG_OPTIONS"), options, warnings);
    if (!options.suppressions.empty()) {
        std::ifstream file(options.suppressions);
        std::stringstream text;
        text << file.rdbuf();
        if (file)
            c.suppressions.parse(text.str(), warnings);
        else
            warnings += "cannot read suppressions file '" + options.suppressions + "', none used\n";
    }
    for (size_t at = 0, nl; (nl = warnings.find('\n', at)) != std::string::npos; at = nl + 1)
        warn(warnings.substr(at, nl - at));
    if (options.help)
        warn("options (REFDEBUG_OPTIONS=key=value:key=value):\n" + options_help());
    c.sites_table = options.sites_path != "none";
    c.sites_path_explicit = c.sites_table && !options.sites_path.empty();
    arena_set_limit(size_t(options.max_memory_mb) << 20);
    depth.store(options.depth, std::memory_order_relaxed);
    unwind.store(options.unwind, std::memory_order_relaxed);
    BirthFilter filter = nullptr;
    if (!options.filter.empty()) {
        filter_verdicts = static_cast<std::atomic<uint8_t> *>(reserve_table(kMaxSites));
        if (filter_verdicts)
            filter = birth_passes_filter;
        else
            warn("no memory for the filter, recording every object");
    }
    registry_configure(options.history, filter);
    registry_set_pid(getpid());
    started_pid = getpid();
    pthread_atfork(nullptr, nullptr, after_fork_child);
    if (options.report_signal.number) {
        // Only a flag here: a report allocates and symbolizes, which no signal handler may.
        struct sigaction sa {};
        sa.sa_handler = [](int) { report_requested.store(true, std::memory_order_relaxed); };
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(options.report_signal.number, &sa, nullptr);
    }
    uintptr_t warm[4];
    capture_dwarf(warm, 4, 0); // the DWARF unwinder's first call is slow: pay it now
    atexit(report_at_exit);    // at load: runs after the program's own handlers
    __atomic_store_n(&enabled_flag, true, __ATOMIC_RELEASE);
}

std::once_flag started;

bool ready()
{
    if (!is_enabled()) {
        if (thread_state.in_runtime)
            return false;
        std::call_once(started, start);
    }
    return true;
}

__attribute__((constructor)) void on_load() { ready(); }

// Whether free() and realloc() should look for lives to end on this thread now.
REFDEBUG_EARLY bool watching_frees()
{
    if (thread_state.in_runtime || !is_enabled())
        return false;
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer builds only: a new thread calls free() while TSan sets
    // it up, before instrumented code may run on it, so the watch starts at
    // the thread's first refcount operation (docs/reliability.md).
    if (!thread_state.used_hook)
        return false;
#endif
    return registry_objects() != 0;
}

// Where free() or realloc() was called, for a stack taken only when needed.
struct FreeCall {
    uintptr_t caller_pc, frame;
};

// The return address one frame out from free()'s caller; 0 when unknown.
uintptr_t outer_return_address(void *call)
{
    const auto *c = static_cast<const FreeCall *>(call);
    const StackBounds bounds = thread_stack(false);
    if (!bounds.hi) // not known yet: no unwinder this early
        return 0;
    uintptr_t frames[2];
    const size_t n = capture_stack(frames, 2, c->caller_pc, c->frame, unwind.load(std::memory_order_relaxed), bounds);
    return n == 2 ? frames[1] : 0;
}

SiteId capture_freed_holder(void *call)
{
    const auto *c = static_cast<const FreeCall *>(call);
    return capture_site(Op::holder_freed, c->caller_pc, c->frame);
}

constexpr uintptr_t kMaybeUnmapped = 128 * 1024; // glibc's default mmap threshold

// free() is about to release [p, p + usable size): end the lives inside.
// free() (holder_scan), unlike realloc(), also discards the block's
// contents: a pointer to a live object left in it was a reference's only
// trace, so the freeing stack is noted on that object.
REFDEBUG_EARLY void watch_free(void *p, uintptr_t caller_pc, uintptr_t frame, bool holder_scan)
{
    if (!p || !watching_frees())
        return;
    Guard guard;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
    const uintptr_t end = begin + malloc_usable_size(p);
    if (registry_has_objects_in(begin, end)) {
        registry_free_range(begin, end, capture_site(Op::free, caller_pc, frame), current_tid(), report_error);
        // A block this large may go back to the system (glibc unmaps blocks
        // from 128 KiB up), and a later mmap() there is the program's own:
        // its lives are over for good at once, not a use after release.
        if (end - begin >= kMaybeUnmapped)
            registry_reuse_range(begin, end, current_tid());
    }
    if (holder_scan) {
        FreeCall call{caller_pc, frame};
        FreeSite *site = free_site(caller_pc);
        if (free_site_should_scan(site, outer_return_address, &call) &&
            registry_scan_freed_holder(begin, end, current_tid(), capture_freed_holder, &call))
            free_site_held(site);
    }
}

constexpr unsigned kRecentBlocks = 4;

// Memory allocated again: the lives freed in it are over for good, and an
// operation there is a new life's, not a use after release. Watched as
// free() is (watching_frees()): not for the runtime's own blocks, since it
// may hold an object's lock.
REFDEBUG_EARLY void note_reuse(void *p)
{
    if (!p || !watching_frees())
        return;
    Guard guard;
    const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
    registry_reuse_range(begin, begin + malloc_usable_size(p), current_tid());
}

// The bytes past what was asked for are no one's: cleared, so that the
// freed-holder scan, which reads a block's usable size, finds no pointer
// the block's earlier use left there (a string's tail still naming an
// object that someone else's block held).
REFDEBUG_EARLY void clear_slack(void *p, size_t requested)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    // A sanitizer's allocator has no slack (its usable size is the size
    // asked for), and asked this early, before it is initialized, it aborts.
    (void)p;
    (void)requested;
#else
    const size_t usable = malloc_usable_size(p);
    if (usable > requested)
        std::memset(static_cast<char *>(p) + requested, 0, usable - requested);
#endif
}

// A block handed out: its slack cleared, its memory in use again.
REFDEBUG_EARLY void *handed_out(void *p, size_t requested)
{
    if (p) {
        clear_slack(p, requested);
        note_reuse(p);
    }
    return p;
}

REFDEBUG_EARLY void note_allocation(void *p, size_t n)
{
    if (!handed_out(p, n))
        return;
    ThreadState &t = thread_state;
    const unsigned i = t.recent_next++ % kRecentBlocks;
    t.recent_begin[i] = reinterpret_cast<uintptr_t>(p);
    t.recent_end[i] = reinterpret_cast<uintptr_t>(p) + n;
}

// A counter set up for a new life: if it lies in a block this thread just
// allocated (a constructor's malloc), its offset there is its type's.
bool offset_in_recent_block(void *r, uintptr_t *offset)
{
    const uintptr_t counter = reinterpret_cast<uintptr_t>(r);
    const ThreadState &t = thread_state;
    // Newest first: an older block noted here may have been freed since,
    // and the new one carved out of its memory.
    for (unsigned back = 1; back <= kRecentBlocks; ++back) {
        const unsigned i = (t.recent_next - back) % kRecentBlocks;
        if (t.recent_begin[i] <= counter && counter + sizeof(int) <= t.recent_end[i]) {
            *offset = counter - t.recent_begin[i];
            return true;
        }
    }
    return false;
}

} // namespace
} // namespace refdebug

using namespace refdebug;

extern "C" {

__attribute__((visibility("default"), noinline)) int refdebug_refcount_op(void *r, int op, unsigned int arg)
{
    const uintptr_t caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
    if (op < static_cast<int>(Op::set) || op > static_cast<int>(kLastHookOp))
        return 0;
    const Op o = static_cast<Op>(op);
    if (thread_state.in_runtime || !ready())
        return apply_unrecorded(r, o, arg).bits;
#if defined(__SANITIZE_THREAD__)
    thread_state.used_hook = true; // see watching_frees()
#endif
    Guard guard;
    const SiteId site = capture_site(o, caller, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
    ObjectSnapshot snapshot;
    uintptr_t offset = 0;
    const bool in_block = o == Op::set && offset_in_recent_block(r, &offset);
    if (in_block)
        registry_expect_block_start(r, offset);
    const OpResult res =
        registry_op(r, o, arg, site, current_tid(), on_this_stack(reinterpret_cast<uintptr_t>(r)), &snapshot);
    if (res.error != ErrorKind::none)
        report_error(res.error, snapshot, site);
    if (in_block)
        registry_note_block_start(r, offset);
    if (arena_exhausted() && !memory_warned.exchange(true))
        warn("out of memory for records (max_memory_mb=" + std::to_string(config().options.max_memory_mb) +
             ", 0: none); from now on some operations run unrecorded: the report counts them and leaves "
             "out what it cannot vouch for");
    if (report_requested.load(std::memory_order_relaxed) && report_requested.exchange(false))
        report(0, "refdebug live report (pid " + std::to_string(getpid()) + ", on signal)", false);
    return res.bits;
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void free(void *p)
{
    if (!resolve_allocator())
        return; // a block freed while dlsym() answers stays allocated: a few bytes, once
    watch_free(p, reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
               reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), true);
    real_free(p);
}

// malloc() and calloc() only note the block (see ThreadState::recent_begin)
// and clear its slack.
REFDEBUG_EARLY __attribute__((visibility("default"))) void *malloc(size_t size)
{
    void *p = resolve_allocator() ? real_malloc(size) : __libc_malloc(size);
    note_allocation(p, size);
    return p;
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void *calloc(size_t n, size_t size)
{
    void *p = resolve_allocator() ? real_calloc(n, size) : __libc_calloc(n, size);
    if (p && !__builtin_mul_overflow(n, size, &size))
        note_allocation(p, size);
    return p;
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void *realloc(void *p, size_t size)
{
    if (!resolve_allocator())
        return __libc_realloc(p, size);
    const uintptr_t caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
    const uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    if (p && watching_frees()) {
        const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
        const size_t old_size = malloc_usable_size(p);
        bool tracked;
        {
            Guard guard;
            tracked = registry_has_objects_in(begin, begin + old_size);
        }
        if (tracked) {
            // Moving by hand keeps the old block ours until its lives have ended.
            if (size == 0) {
                watch_free(p, caller, frame, false);
                real_free(p);
                return nullptr;
            }
            void *q = malloc(size);
            if (!q)
                return nullptr;
            std::memcpy(q, p, old_size < size ? old_size : size);
            watch_free(p, caller, frame, false);
            real_free(p);
            return q;
        }
    }
    return handed_out(real_realloc(p, size), size);
}

// The aligned allocators only hand the block out (handed_out()).
REFDEBUG_EARLY __attribute__((visibility("default"))) void *memalign(size_t alignment, size_t size)
{
    void *p = resolve_allocator() ? real_memalign(alignment, size) : __libc_memalign(alignment, size);
    return handed_out(p, size);
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void *valloc(size_t size)
{
    void *p = resolve_allocator() && real_valloc ? real_valloc(size) : __libc_valloc(size);
    return handed_out(p, size);
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void *pvalloc(size_t size)
{
    void *p = resolve_allocator() && real_pvalloc ? real_pvalloc(size) : __libc_pvalloc(size);
    return handed_out(p, size);
}

REFDEBUG_EARLY __attribute__((visibility("default"))) void *aligned_alloc(size_t alignment, size_t size)
{
    void *p = resolve_allocator() && real_aligned_alloc ? real_aligned_alloc(alignment, size)
                                                        : __libc_memalign(alignment, size);
    return handed_out(p, size);
}

REFDEBUG_EARLY __attribute__((visibility("default"))) int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!resolve_allocator() || !real_posix_memalign) {
        if (alignment % sizeof(void *) || (alignment & (alignment - 1)))
            return EINVAL;
        void *p = __libc_memalign(alignment, size);
        if (!p)
            return ENOMEM;
        *out = p;
        return 0;
    }
    const int r = real_posix_memalign(out, alignment, size);
    if (r == 0)
        handed_out(*out, size);
    return r;
}

__attribute__((visibility("default"))) unsigned long refdebug_checkpoint(void)
{
    ready();
    return registry_new_epoch();
}

__attribute__((visibility("default"))) unsigned long refdebug_report_since(unsigned long mark)
{
    if (!ready())
        return 0;
    return report(mark, "refdebug report of objects born since checkpoint " + std::to_string(mark), false);
}

__attribute__((visibility("default"))) unsigned long refdebug_report(void)
{
    if (!ready())
        return 0;
    return report(0, "refdebug live report (pid " + std::to_string(getpid()) + ")", false);
}

} // extern "C"
