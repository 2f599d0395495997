// SPDX-License-Identifier: MIT
// The text report, errors as they happen, and folded stacks: renderers of an
// Analysis. What they say is decided in report.cpp and owners.cpp.
#include "depot.h"
#include "output.h"
#include "report.h"
#include "stack.h"
#include "symbolizer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <unistd.h>

namespace refdebug {

bool write_folded(const std::string &path, const Analysis &a)
{
    const int fd = open_output_file(path);
    if (fd < 0) {
        warn("cannot write folded stacks to '" + path + "' (" + std::strerror(errno) + ")");
        return false;
    }
    // The suspects carry the references that stay unmatched once each
    // function's gets and puts are balanced: what the objects really still hold.
    std::map<std::string, int64_t> folded;
    for (const LeakGroup &g : a.groups) {
        for (const Suspect &suspect : g.suspects) {
            const std::vector<Frame> &s = stack_of(suspect.site);
            if (s.empty() || suspect.reason == Reason::short_release) // holds no references itself
                continue;
            std::string line;
            for (size_t i = s.size(); i-- > 0;) {
                std::string f = s[i].sym->function;
                std::replace(f.begin(), f.end(), ';', ':'); // ';' separates frames
                std::replace(f.begin(), f.end(), ' ', '_'); // ' ' separates the count
                line += f + (i ? ";" : "");
            }
            folded[line] += suspect.net;
        }
    }
    Writer out(fd, path);
    for (const auto &f : folded)
        out << f.first << " " << std::to_string(f.second) << "\n";
    out.flush();
    return true;
}

void print_stack(Writer &out, SiteId id, const char *indent, size_t max_frames)
{
    const std::vector<Frame> &s = stack_of(id);
    if (s.empty()) {
        out << "refdebug: " << indent << "(stack not recorded)\n";
        return;
    }
    for (size_t i = 0; i < s.size() && i < max_frames; ++i) {
        const Symbol &sym = *s[i].sym;
        out << "refdebug: " << indent << "#" << std::to_string(i) << " " << hex(s[i].pc) << " "
            << sym.function << " " << (s[i].tail_called ? "(tail call)" : sym.location() + (sym.inlined ? " (inlined)" : ""))
            << "\n";
    }
    if (s.size() > max_frames)
        out << "refdebug: " << indent << "(omitting " << std::to_string(s.size() - max_frames)
            << " more frames)\n";
}

namespace {

// "function (file:line)", marked when inlined or put back after a tail call.
std::string frame_text(const Frame &f)
{
    if (f.tail_called)
        return f.sym->function + " (tail call)";
    return f.sym->function + " (" + f.sym->location() + (f.sym->inlined ? ", inlined" : "") + ")";
}

// A suspect's path: its site's stack from the operation out to the suspect
// and the caller that called it.
std::string via_text(const Suspect &s)
{
    const std::vector<Frame> &path = stack_of(s.site);
    std::string via;
    for (size_t i = 0; i < path.size() && i <= s.frame + 1; ++i)
        via += (i ? " <- " : "") + frame_text(path[i]);
    return via;
}

// One object's sites whose net is not zero (what Masami Hiramatsu's 2015
// debugger printed): which stacks still hold references, and which dropped them.
void print_unbalanced_sites(Writer &out, const ObjectSnapshot &o)
{
    constexpr size_t kMaxSites = 12, kMaxFrames = 8;
    std::vector<const SiteCount *> unbalanced;
    for (const SiteCount &c : o.sites)
        if (c.net != 0)
            unbalanced.push_back(&c);
    // Smallest imbalances first: a reference or two left over stands out;
    // the large ones are traffic that other sites balance.
    std::stable_sort(unbalanced.begin(), unbalanced.end(),
                     [](const SiteCount *x, const SiteCount *y) { return std::llabs(x->net) < std::llabs(y->net); });
    out << "refdebug:   unbalanced sites of object " << hex(o.address) << " (count " << std::to_string(o.count)
        << ", " << std::to_string(o.events) << " event(s)" << (o.unrecorded ? ", some not recorded" : "") << "):\n";
    for (size_t i = 0; i < unbalanced.size() && i < kMaxSites; ++i) {
        const SiteCount &c = *unbalanced[i];
        const std::vector<Frame> &stack = stack_of(c.site);
        std::string frames;
        for (size_t f = 0; f < stack.size() && f < kMaxFrames; ++f)
            frames += (f ? " <- " : "") + frame_text(stack[f]);
        if (stack.size() > kMaxFrames)
            frames += " <- ...";
        out << "refdebug:     " << (c.net > 0 ? "+" : "") << std::to_string(c.net) << " in "
            << std::to_string(c.events) << " " << op_name(depot_op(c.site)) << " [site " << std::to_string(c.site.value)
            << "]: " << frames << "\n";
    }
    if (unbalanced.size() > kMaxSites)
        out << "refdebug:     (omitting " << std::to_string(unbalanced.size() - kMaxSites) << " more sites)\n";
}

} // namespace

void print_history(Writer &out, const ObjectSnapshot &o, size_t max_frames)
{
    const char *how = o.state == State::adopted ? "adopted" : "born";
    out << "refdebug:   history of object " << hex(o.address) << " (life " << std::to_string(o.life)
        << ", " << how << " at count " << std::to_string(o.baseline) << ", count now "
        << std::to_string(o.count) << ", " << std::to_string(o.events) << " event(s)"
        << (o.unrecorded ? ", some not recorded" : "") << "):\n";
    if (o.events > o.history.size())
        out << "refdebug:     (omitting " << std::to_string(o.events - o.history.size())
            << " earlier events)\n";
    for (const Event &e : o.history) {
        out << "refdebug:     event " << std::to_string(e.seq) << ": " << op_name(depot_op(e.site)) << " "
            << std::to_string(e.old_count) << " -> " << std::to_string(e.new_count) << "  thread "
            << std::to_string(e.tid) << "  site " << std::to_string(e.site.value) << "\n";
        print_stack(out, e.site, "        ", max_frames);
    }
}

void print_error(Writer &out, ErrorKind e, const ObjectSnapshot &o, SiteId at, uint32_t tid, const Suspect &s)
{
    out << "refdebug: ERROR: " << error_name(e) << " on refcount_t " << hex(o.address) << " by thread "
        << std::to_string(tid) << " (" << op_name(depot_op(at)) << ", count now "
        << std::to_string(o.count) << ")\n";
    print_stack(out, at, "    ", 64);
    if (e == ErrorKind::use_after_release && o.end) {
        // The put that released it, or the free() of a life that ended there.
        out << (depot_op(o.end) == Op::free ? "refdebug:   freed by:\n" : "refdebug:   released by:\n");
        print_stack(out, o.end, "    ", 64);
    } else if (o.end && o.life > 1 && o.state == State::adopted) {
        // First seen again after its memory was freed or released: most
        // likely a dangling pointer, and this is where the last life ended.
        out << "refdebug:   the previous life at this address ended at (" << op_name(depot_op(o.end)) << "):\n";
        print_stack(out, o.end, "    ", 64);
    }
    // Which put had no get: the function that dropped more than it took;
    // for a block freed under others, which get had no put.
    if (s.site) {
        const Symbol &sym = *stack_of(s.site)[s.frame].sym;
        out << "refdebug:   suspect: " << s.function << " (" << sym.location() << ") "
            << (s.net < 0   ? "dropped " + std::to_string(-s.net) + " more than it took on this object"
                : s.net > 0 ? "took " + std::to_string(s.net) + " more than it dropped on this object"
                            : std::string("made the put that released it; no function dropped more than it took"))
            << " [site " << std::to_string(s.site.value) << "]\n";
        out << "refdebug:     via: " << via_text(s) << "\n";
    }
    print_history(out, o, 8);
    out.flush();
}

namespace {

// The program's own module, when the frames the report names in it have no
// file:line (built without -g); "" otherwise.
std::string program_without_debug_info(const Analysis &a)
{
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "";
    exe[n] = 0;
    std::string module = exe;
    module.erase(0, module.rfind('/') + 1);
    bool seen = false;
    for (const LeakGroup &g : a.groups) {
        for (const SiteId id : {g.birth, g.suspects.empty() ? SiteId{} : g.suspects.front().site}) {
            for (const Frame &f : stack_of(id)) {
                if (f.sym->module != module)
                    continue;
                if (!f.sym->file.empty())
                    return "";
                seen = true;
            }
        }
    }
    return seen ? module : "";
}

} // namespace

void print_report(Writer &out, const Analysis &a, uint64_t errors, uint64_t suppressed_errors, bool stats,
                  const std::string &title, const std::string &sites_path)
{
    constexpr size_t kMaxGroups = 20, kMaxSuspects = 5, kMaxFrames = 16;
    out << "refdebug: ==== " << title << " ====\n";
    size_t shown = 0;
    for (const LeakGroup &g : a.groups) {
        if (shown == kMaxGroups) {
            out << "refdebug: (omitting " << std::to_string(a.groups.size() - shown) << " more groups)\n";
            break;
        }
        ++shown;
        out << "refdebug: group " << std::to_string(shown) << ": " << std::to_string(g.objects.size())
            << " leaked " << g.kind << " object(s) holding " << std::to_string(g.references)
            << " reference(s)"
            << (g.cascade_of >= 0 ? ", cascade of group " + std::to_string(g.cascade_of + 1) : std::string())
            << ", born at:\n";
        print_stack(out, g.birth, "    ", kMaxFrames);
        size_t rank = 0;
        for (const Suspect &s : g.suspects) {
            if (rank == kMaxSuspects) {
                out << "refdebug:   (omitting " << std::to_string(g.suspects.size() - rank)
                    << " more suspects)\n";
                break;
            }
            ++rank;
            const Site *site = depot_get(s.site);
            const Symbol &sym = *stack_of(s.site)[s.frame].sym;
            out << "refdebug:   suspect #" << std::to_string(rank) << ": " << sym.function << " ("
                << sym.location() << ") ";
            if (s.reason == Reason::holder_release) // its own put is gone: say what it released
                out << "released the holders of the references unmatched in " << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects (+" << std::to_string(s.net) << ") [site " << std::to_string(s.site.value)
                    << "]\n";
            else if (s.reason == Reason::freed_holder)
                out << "freed blocks still pointing at them, without their puts, in " << std::to_string(s.unmatched)
                    << " of " << std::to_string(g.objects.size()) << " leaked objects (+" << std::to_string(s.net)
                    << ") [site " << std::to_string(s.site.value) << "]\n";
            else if (s.reason == Reason::slot_refill)
                out << "refilled the holders' slot without dropping the references unmatched in "
                    << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects (+" << std::to_string(s.net) << ") [site " << std::to_string(s.site.value)
                    << "]\n";
            else if (s.reason == Reason::container_removal)
                out << "removed them from their container without dropping its reference: took references on "
                    << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects, on none of " << std::to_string(s.reclaimed) << " released ones (+"
                    << std::to_string(s.net) << ") [site " << std::to_string(s.site.value) << "]\n";
            else if (s.reason == Reason::thread_handoff)
                out << "was handed references by another thread and dropped fewer: in "
                    << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects (+" << std::to_string(s.net) << "), where it dropped them in "
                    << std::to_string(s.reclaimed) << " reclaimed ones [site " << std::to_string(s.site.value)
                    << "]\n";
            else if (s.reason == Reason::error_path)
                out << "dropped part of what was taken beneath it, on a path no reclaimed object took, and kept "
                       "the rest: in "
                    << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects (+" << std::to_string(s.net) << "), never in " << std::to_string(s.reclaimed)
                    << " reclaimed ones [site " << std::to_string(s.site.value) << "]\n";
            else if (s.reason == Reason::absent_release)
                out << "drops them in " << std::to_string(s.reclaimed) << " reclaimed objects, as many as these hold, "
                    << "and made no operation on " << std::to_string(s.unmatched) << " of "
                    << std::to_string(g.objects.size()) << " leaked objects (+" << std::to_string(s.net) << ") [site "
                    << std::to_string(s.site.value) << "]\n";
            else if (s.reason == Reason::companion_release)
                out << "released the references taken with those unmatched in " << std::to_string(s.unmatched)
                    << " of " << std::to_string(g.objects.size()) << " leaked objects, not them (+"
                    << std::to_string(s.net) << ") [site " << std::to_string(s.site.value) << "]\n";
            else
                out << op_name(site->op)
                    << (s.reason == Reason::short_release ? " left references in " : " unmatched in ")
                    << std::to_string(s.unmatched) << " of " << std::to_string(g.objects.size())
                    << " leaked objects (" << (s.reason == Reason::short_release ? "" : "+")
                    << std::to_string(s.net) << (s.reason == Reason::short_release ? " left" : "") << "), also in "
                    << std::to_string(s.reclaimed) << " reclaimed ones [site " << std::to_string(s.site.value)
                    << "]\n";
            // The call path of its reference: from the operation up to the
            // suspect and the caller that called it.
            out << "refdebug:     via: " << via_text(s) << "\n";
        }
        const ObjectSnapshot *rep = &g.objects.front();
        for (const ObjectSnapshot &o : g.objects)
            if (o.events < rep->events)
                rep = &o;
        print_unbalanced_sites(out, *rep);
        if (stats) // verbosity=1: the tail of its history too
            print_history(out, *rep, 8);
    }
    if (const std::string module = program_without_debug_info(a); !module.empty())
        out << "refdebug: note: " << module
            << " has no debug information, so its frames have no file:line and inlined functions are not "
               "seen; rebuild it with -g (perf: make EXTRA_CFLAGS=-g, or DEBUG=1)\n";
    if (!sites_path.empty())
        out << "refdebug: site table: " << sites_path << "\n";
    if (a.suppressed_objects || suppressed_errors)
        out << "refdebug: suppressed: " << std::to_string(a.suppressed_objects) << " leaked object(s) holding "
            << std::to_string(a.suppressed_references) << " reference(s), " << std::to_string(suppressed_errors)
            << " error(s)\n";
    if (a.unrecorded_operations || a.uncertain_objects)
        out << "refdebug: unrecorded: " << std::to_string(a.unrecorded_operations)
            << " operation(s) not recorded (out of memory, or from inside the runtime), "
            << std::to_string(a.uncertain_objects) << " object(s) with an uncertain count left out\n";
    if (stats)
        out << "refdebug: STATS: " << std::to_string(a.objects) << " objects, " << std::to_string(a.events)
            << " events, " << std::to_string(depot_count()) << " unique stacks\n";
    out << "SUMMARY: refdebug: " << std::to_string(a.leaked_objects) << " leaked object(s) holding "
        << std::to_string(a.leaked_references) << " reference(s), " << std::to_string(errors)
        << " error(s)\n";
    out.flush();
}


} // namespace refdebug
