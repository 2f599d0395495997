// SPDX-License-Identifier: MIT
// Kinds and wrappers: what a function's name says about the objects it
// works on, and which frames wrap the operations rather than decide them.
#include "kinds.h"

#include "depot.h"
#include "stack.h"

#include <cctype>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace refdebug {
namespace {

// "ns::f(int) const" -> "ns::f", "f+0x1c" -> "f", "Ref<Cover>::Ref" ->
// "Ref::Ref": the qualified name alone.
std::string qualified_name(std::string f)
{
    const size_t plus = f.rfind("+0x");
    if (plus != std::string::npos)
        f.erase(plus);
    if (f.size() > 6 && f.compare(f.size() - 6, 6, " const") == 0)
        f.erase(f.size() - 6);
    if (!f.empty() && f.back() == ')') { // drop the argument list, matching parentheses
        int depth = 0;
        for (size_t i = f.size(); i-- > 0;) {
            depth += f[i] == ')' ? 1 : f[i] == '(' ? -1 : 0;
            if (depth == 0) {
                f.erase(i);
                break;
            }
        }
    }
    // Template arguments go: "Ref<ns::Cover>::~Ref" -> "Ref::~Ref" (their
    // "::" is not the name's), but not an operator's own '<'.
    std::string bare;
    int depth = 0;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f.compare(i, 8, "operator") == 0) {
            size_t j = i + 8;
            while (j < f.size() && (f[j] == '<' || f[j] == '>' || f[j] == '=' || f[j] == '-'))
                ++j;
            if (depth == 0)
                bare.append(f, i, j - i);
            i = j - 1;
        } else if (f[i] == '<') {
            ++depth;
        } else if (f[i] == '>' && depth > 0) {
            --depth;
        } else if (depth == 0) {
            bare += f[i];
        }
    }
    return bare;
}

// C++ plumbing that takes and drops references on its caller's behalf:
// constructors and destructors (RAII handles) and the standard library.
bool plumbing(const Symbol &sym);

} // namespace

// Memoized by symbol: symbols live in the symbolizer's cache for good.
bool is_plumbing(const Symbol &sym)
{
    static auto *lock = new std::mutex;
    static auto *memo = new std::unordered_map<const Symbol *, bool>;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = memo->find(&sym);
    if (it == memo->end())
        it = memo->emplace(&sym, plumbing(sym)).first;
    return it->second;
}

namespace {

// The C++ standard library's code. Inlined library code carries its
// unqualified name ("_M_realloc_insert"): its file says where it is from.
bool standard_library(const Symbol &sym)
{
    return sym.file.find("/include/c++/") != std::string::npos || sym.function.rfind("std::", 0) == 0 ||
           sym.function.rfind("__gnu_cxx::", 0) == 0;
}

// A member function's class and member ("ns::Cls::f" -> "Cls", "f");
// false for a function of no class.
bool class_and_member(const std::string &function, std::string &cls, std::string &member)
{
    const std::string f = qualified_name(function);
    const size_t last = f.rfind("::");
    if (last == std::string::npos)
        return false;
    const size_t prev = f.rfind("::", last - 1);
    cls = f.substr(prev == std::string::npos ? 0 : prev + 2, last - (prev == std::string::npos ? 0 : prev + 2));
    member = f.substr(last + 2);
    return true;
}

bool plumbing(const Symbol &sym)
{
    if (standard_library(sym))
        return true;
    std::string cls, member;
    return class_and_member(sym.function, cls, member) && (member == cls || member == "~" + cls);
}

// The class a constructor constructs, lower case ("Observer::Observer(int)"
// -> "observer"); "" for any other function.
std::string constructed_class(const std::string &function)
{
    std::string cls, member;
    if (!class_and_member(function, cls, member) || member != cls)
        return "";
    for (char &c : cls)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return cls;
}

// The <kind> of a get/put-style wrapper's name, "<kind>__<verb>" or
// "<kind>_<verb>" ("map_get" -> "map", "obj_get_not_zero" -> "obj"), the
// shortest kind that leaves a known verb; "" for any other name. Memoized:
// the report asks about the same few names for every object.
const std::set<std::string> &wrapper_verbs()
{
    // Leaked on purpose: statics would be destroyed before the exit report runs.
    static const auto *verbs = new std::set<std::string>{
        "get",  "put",     "zput",  "new",     "findnew", "delete", "alloc", "zalloc",       "create",
        "init", "free",    "release", "ref",   "unref",   "hold",   "drop",  "clone",        "dup",
        "acquire", "grab", "get_not_zero", "put_and_test"};
    return *verbs;
}

std::string wrapper_kind(const std::string &name)
{
    const std::set<std::string> *verbs = &wrapper_verbs();
    static auto *lock = new std::mutex;
    static auto *memo = new std::unordered_map<std::string, std::string>;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = memo->find(name);
    if (it != memo->end())
        return it->second;
    std::string kind;
    for (size_t i = 1; i + 1 < name.size() && kind.empty(); ++i) {
        if (name[i] != '_')
            continue;
        if (name[i + 1] == '_' && verbs->count(name.substr(i + 2)))
            kind = name.substr(0, i);
        else if (verbs->count(name.substr(i + 1)))
            kind = name.substr(0, i);
    }
    return memo->emplace(name, kind).first->second;
}

} // namespace

// The unqualified name: "ns::Class::f(int)" -> "f".
std::string bare_name(const std::string &function)
{
    // Memoized: asked for every frame of every stack the report reads.
    static auto *lock = new std::mutex; // leaked, as the other caches
    static auto *memo = new std::unordered_map<std::string, std::string>;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = memo->find(function);
    if (it == memo->end()) {
        const std::string f = qualified_name(function);
        const size_t colon = f.rfind("::");
        it = memo->emplace(function, colon == std::string::npos ? f : f.substr(colon + 2)).first;
    }
    return it->second;
}

// Whether GCC may have folded another kind's wrapper into this one's
// (identical code: the counter at the same offset): a function of its unit
// named for another kind with the same verb ("map__get" beside
// "dso__get", "group_put" beside "user_put") was inlined away. Its name
// and declared return then say nothing of the kind.
bool may_be_folded(const Symbol &sym)
{
    if (!sym.inlined_away)
        return false;
    const std::string name = bare_name(sym.function);
    const std::string kind = wrapper_kind(name);
    if (kind.empty())
        return false;
    for (const std::string &other : *sym.inlined_away) {
        const std::string bare = bare_name(other);
        const std::string other_kind = wrapper_kind(bare);
        if (!other_kind.empty() && other_kind != kind &&
            bare.compare(other_kind.size(), std::string::npos, name, kind.size(), std::string::npos) == 0)
            return true;
    }
    return false;
}

// The kind a function name states: perf's "<kind>__<method>" ("dso__new_id"
// -> "dso"), or a get/put wrapper's "<kind>_get"; "" when it states none.
std::string kind_of_function(const std::string &function)
{
    std::string name = bare_name(function);
    name.erase(0, name.find_first_not_of('_'));
    const size_t sep = name.find("__");
    if (sep != std::string::npos && sep > 0)
        return name.substr(0, sep);
    return wrapper_kind(name);
}

// Whose method a function is, by perf's naming: "hist_entry__init" ->
// "hist_entry", and where no "__" says it, "callchain_cursor_append" ->
// "callchain_cursor"; "" for a name with no prefix.
std::string holder_of(const std::string &function)
{
    const std::string kind = kind_of_function(function);
    if (!kind.empty())
        return kind;
    const std::string name = bare_name(function);
    const size_t last = name.rfind('_');
    return last == std::string::npos || last == 0 ? "" : name.substr(0, last);
}

std::string infer_kind(SiteId id)
{
    // Memoized: the report asks for every site once per leak group. Leaked
    // on purpose, as stack_of()'s cache.
    static auto *lock = new std::mutex;
    static auto *memo = new std::unordered_map<uint32_t, std::string>;
    {
        std::lock_guard<std::mutex> guard(*lock);
        auto it = memo->find(id.value);
        if (it != memo->end())
            return it->second;
    }
    const std::vector<Frame> &s = stack_of(id);
    // The function performing the operation names the kind best (a
    // constructor for a birth, a wrapper for a get or put); further out,
    // only get/put-style wrapper names count. But a birth made by a
    // generic initialiser declared to return nothing (kref_init() on the
    // kref a struct device embeds) is the object's constructor's, further
    // out: the first declared to return a struct pointer (device_new()).
    const bool folded = !s.empty() && may_be_folded(*s[0].sym);
    std::string kind = s.empty() || folded ? "" : kind_of_function(s[0].sym->function);
    // The struct a getter or constructor is declared to return says it
    // better than its name: machine__findnew_dso() makes a dso, d_alloc()
    // a dentry.
    if (!s.empty() && !folded && takes_reference(depot_op(id)) && !s[0].sym->returns.empty())
        kind = s[0].sym->returns;
    if (!s.empty() && depot_op(id) == Op::set && s[0].sym->returns_void)
        for (size_t i = 1; i < s.size(); ++i)
            if (!s[i].sym->returns.empty()) {
                kind = s[i].sym->returns;
                break;
            }
    for (size_t i = 1; kind.empty() && i < s.size(); ++i)
        kind = wrapper_kind(bare_name(s[i].sym->function));
    // A C++ constructor setting the count up (Observer::Observer(int)),
    // where nothing further out names a kind: its class.
    if (kind.empty() && !s.empty() && depot_op(id) == Op::set)
        kind = constructed_class(s[0].sym->function);
    if (kind.empty())
        kind = "-";
    std::lock_guard<std::mutex> guard(*lock);
    return memo->emplace(id.value, kind).first->second;
}

Wrappers::Wrappers(const std::vector<SiteId> &sites, std::string kind) : kind_(std::move(kind))
{
    // Distinct calling functions, not call sites: an unrolled loop calls
    // one function from several sites without making it a wrapper.
    std::map<std::string, std::set<std::string>> callers;
    for (SiteId n : sites) {
        const std::vector<Frame> &s = stack_of(n);
        for (size_t i = 0; i + 1 < s.size(); ++i)
            callers[s[i].sym->function].insert(s[i + 1].sym->function);
    }
    for (const auto &c : callers)
        callers_[c.first] = c.second.size();
    // Asked of a half-built object: distinguishing_frame() reads
    // void_takers_ only for drops (a void taker is no put wrapper), and
    // these are takes, so the set being filled is never read here.
    for (SiteId n : sites) {
        if (!takes_reference(depot_op(n)))
            continue;
        const std::vector<Frame> &s = stack_of(n);
        const size_t i = distinguishing_frame(n, *this);
        if (i > 0 && i < s.size() && s[i].sym->returns_void && !is_api(*s[i].sym, i))
            void_takers_.insert(s[i].sym->function);
    }
}

bool Wrappers::contains(const Symbol &sym, size_t frame) const
{
    const std::string &function = sym.function;
    const auto it = callers_.find(function);
    return (it != callers_.end() && it->second > 1) || is_api(sym, frame);
}

bool Wrappers::is_api(const Symbol &sym, size_t frame) const
{
    if (is_plumbing(sym))
        return true;
    const std::string &function = sym.function;
    // A get/put name only marks the function that performs the operation
    // itself: a caller named "extra_get" is just as likely the culprit. And
    // only for a kind the program has: "batch_acquire" taking references on
    // objs is code of its own, no batch was ever born; "child__get" on a box
    // is a child's API that GCC folded box__get into (identical code).
    const std::string bare = bare_name(function);
    const std::string named_for = wrapper_kind(bare);
    if (frame == 0 && !named_for.empty() &&
        (kind_ == "-" || named_for == kind_ || born_kinds().count(named_for) || may_be_folded(sym)))
        return true;
    // A C++ method named for the operation it performs (Resource::get(),
    // Node::unref()) is its class's API, and its derived classes' (a
    // Texture taken through Resource::get()).
    if (frame == 0 && bare != qualified_name(function) && wrapper_verbs().count(bare))
        return true;
    // distinguishing_frame() asks outward from frame 0 and stops at the first
    // non-wrapper, so every frame inside this one was a wrapper already.
    return kind_ != "-" && kind_of_function(function) == kind_;
}

const std::set<std::string> &born_kinds()
{
    // Kinds named by birth sites: the program's object kinds. Leaked on
    // purpose (the exit report runs late); refreshed as sites are added.
    static auto *lock = new std::mutex;
    static auto *kinds = new std::set<std::string>;
    static uint32_t seen = 0;
    std::lock_guard<std::mutex> guard(*lock);
    for (; seen < depot_count(); ++seen) {
        const Site *s = depot_get(SiteId{seen + 1});
        // A getter declared to return the struct it took a reference on
        // (map__get() returning a struct map *) says the kind exists too,
        // where its objects are set up by code naming none (and where GCC
        // folded another kind's identical getter into it).
        if (s && takes_reference(s->op) && s->op != Op::set) {
            const std::vector<Frame> &get = stack_of(SiteId{seen + 1});
            if (!get.empty() && !get.front().sym->returns.empty() && !may_be_folded(*get.front().sym))
                kinds->insert(get.front().sym->returns);
        }
        if (!s || s->op != Op::set)
            continue;
        kinds->insert(infer_kind(SiteId{seen + 1}));
        // And the kind its initialiser is named for (kref_init(): kref_get()
        // is the API too), and the struct its constructors are declared to return: perf's
        // thread_map__new_by_tid() makes a perf_thread_map, whose
        // perf_thread_map__get() and __put() are the kind's API.
        const std::vector<Frame> &birth = stack_of(SiteId{seen + 1});
        if (!birth.empty() && !kind_of_function(birth.front().sym->function).empty())
            kinds->insert(kind_of_function(birth.front().sym->function));
        for (const Frame &f : birth) {
            if (f.sym->returns.empty())
                break;
            kinds->insert(f.sym->returns);
        }
    }
    return *kinds;
}

size_t distinguishing_frame(SiteId id, const Wrappers &wrappers)
{
    const std::vector<Frame> &site = stack_of(id);
    // A function that takes a reference and returns nothing kept it (or
    // stored it): called from many places, it is still no get wrapper
    // (perf's last-match setter, __threads_table_entry__set_last_match()),
    // and the reference it drops in exchange is its own too, not its
    // callers': its swaps balance in itself.
    const bool takes = takes_reference(depot_op(id));
    const bool drops = is_decrement(depot_op(id));
    for (size_t i = 0; i < site.size(); ++i)
        if (!wrappers.contains(*site[i].sym, i) ||
            (takes && i > 0 && site[i].sym->returns_void && !wrappers.is_api(*site[i].sym, i)) ||
            (drops && i > 0 && site[i].sym->returns_void && !wrappers.is_api(*site[i].sym, i) &&
             (!site[i].sym->takes_struct || wrappers.void_taker(site[i].sym->function))))
            return i;
    return 0;
}

bool is_destructor(const Symbol &sym)
{
    return is_plumbing(sym) && !standard_library(sym) && bare_name(sym.function).rfind('~', 0) == 0;
}

size_t first_frame_past_api(SiteId site, const std::string &kind, bool stop_at_destructor)
{
    const std::vector<Frame> &s = stack_of(site);
    const Wrappers api({}, kind);
    size_t f = 0;
    while (f < s.size() && !(stop_at_destructor && is_destructor(*s[f].sym)) &&
           (api.is_api(*s[f].sym, kind == "-" ? 0 : f) || s[f].sym->function == "??"))
        ++f;
    return f;
}

size_t deciding_frame(SiteId id, const Wrappers &wrappers)
{
    const std::string &kind = wrappers.kind();
    const std::vector<Frame> &s = stack_of(id);
    size_t f = distinguishing_frame(id, wrappers);
    while (f + 1 < s.size() && s[f].sym->returns == kind && s[f + 1].sym->function != "??")
        ++f;
    return f;
}

size_t returned_to(SiteId id, const std::string &kind)
{
    const std::vector<Frame> &s = stack_of(id);
    size_t f = 0;
    while (f < s.size() && s[f].sym->returns == kind)
        ++f;
    return f;
}

std::string kind_of_lives(SiteId birth, const std::vector<const ObjectSnapshot *> &lives)
{
    std::string kind = infer_kind(birth);
    if (kind != "-")
        return kind;
    // Releases vote first: a release wrapper carries its kind's destructor,
    // while every kind's getter is the same few instructions, which GCC's
    // identical-code folding merges where the counters sit at the same
    // offset (map__get() inlined as dso__get()). Gets vote where no
    // release names a kind.
    std::map<std::string, uint64_t> votes;
    for (bool releases : {true, false}) {
        for (const ObjectSnapshot *o : lives)
            for (const SiteCount &c : o->sites)
                if (is_decrement(depot_op(c.site)) == releases)
                    votes[infer_kind(c.site)] += c.events;
        votes.erase("-");
        if (!votes.empty())
            break;
    }
    for (const auto &v : votes)
        if (kind == "-" || v.second > votes[kind])
            kind = v.first;
    return kind;
}

} // namespace refdebug
