// SPDX-License-Identifier: MIT
#define BOOST_STACKTRACE_LINK
#include "symbolizer.h"

#include "capture.h"
#include "names.h"

#include <boost/core/demangle.hpp>
#include <boost/stacktrace/frame.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#if REFDEBUG_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>
#endif

namespace refdebug {
namespace {

// Every libdw call below runs under this lock (libdwfl is not thread-safe;
// reports may run on any thread). Leaked on purpose, as the caches are: the
// exit report runs after static destructors may have.
std::mutex &symbolizer_lock()
{
    static auto *lock = new std::mutex;
    return *lock;
}

#if REFDEBUG_HAVE_LIBDW
// An address range and the DIE it belongs to (a function, or a unit).
struct DieRange {
    Dwarf_Addr low, high;
    Dwarf_Die die;
};

// What is read once per module or unit. It points into the session's
// modules, so it is dropped whenever the session reports the mappings
// again (a module unloaded since may be freed, and its addresses reused).
struct Indexes {
    std::unordered_map<Dwfl_Module *, bool> carries_dwarf;
    std::unordered_map<Dwfl_Module *, std::vector<DieRange>> units;      // per module, when it has no aranges
    std::unordered_map<const void *, std::vector<DieRange>> functions; // per unit
    std::unordered_map<const void *, std::vector<std::string>> inlined_away; // per unit
};
Indexes &indexes()
{
    static auto *i = new Indexes;
    return *i;
}

// One libdwfl session over this process's mappings, made when the first
// address is symbolized (report time). A module's symbol table and DWARF
// are read when an address in it is first asked for, and DWARF one
// compilation unit at a time: a report pays for the units its stacks pass
// through, not for every module loaded (libbacktrace reads them all, ~80 ms
// in perf). refresh: report the mappings again (a module loaded since).
Dwfl *session(bool refresh = false)
{
    static char *debuginfo_path = nullptr;
    static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr,
                                             &debuginfo_path};
    static Dwfl *dwfl = nullptr;
    static uint64_t reported = 0; // the loader's changes when the mappings were last reported
    if (dwfl && (!refresh || reported == loader_changes()))
        return dwfl;
    if (!dwfl && !(dwfl = dwfl_begin(&callbacks)))
        return nullptr;
    reported = loader_changes();
    indexes() = Indexes{};
    dwfl_report_begin(dwfl); // keeps what is reported again, with what was read of it
    dwfl_linux_proc_report(dwfl, getpid());
    // Objects unloaded since their code was on a stack: read from their
    // files, where they were mapped, unless something else is mapped there now.
    size_t seen = 0;
    const SeenModule *modules = seen_modules(&seen);
    for (size_t i = 0; i < seen; ++i)
        if (!in_loaded_code(modules[i].low, 1) && !in_loaded_code(modules[i].high - 1, 1))
            dwfl_report_elf(dwfl, modules[i].path, modules[i].path, -1, modules[i].bias, false);
    dwfl_report_end(dwfl, nullptr, nullptr);
    return dwfl;
}

Dwfl_Module *module_at(uintptr_t pc)
{
    Dwfl *dwfl = session();
    if (!dwfl)
        return nullptr;
    Dwfl_Module *module = dwfl_addrmodule(dwfl, pc);
    if (!module && (dwfl = session(true)))
        module = dwfl_addrmodule(dwfl, pc);
    return module;
}

// A function DIE's name: its linkage name when it has one (C++, to
// demangle), else its name, following abstract origins and specifications.
// linkage: whether it was the linkage name.
const char *function_name(Dwarf_Die *die, bool &linkage)
{
    Dwarf_Attribute attr;
    for (const int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name}) {
        linkage = at != DW_AT_name;
        if (const char *name = dwarf_formstring(dwarf_attr_integrate(die, at, &attr)))
            return name;
    }
    return nullptr;
}

// A C++ function DWARF names without a linkage name (a static function,
// one in an anonymous namespace): its DW_AT_name within its namespaces and
// classes, read from its declaration's scopes. The same for its inlined
// copies and its out-of-line code, which the symbol table would name with
// its parameters ("f(int)" where an inlined copy reads "f"): one function,
// one name.
std::string scoped_name(Dwarf_Die *die, const char *name)
{
    Dwarf_Die decl = *die, next;
    Dwarf_Attribute attr;
    for (int hops = 0; hops < 4; ++hops) {
        if (dwarf_formref_die(dwarf_attr(&decl, DW_AT_abstract_origin, &attr), &next) ||
            dwarf_formref_die(dwarf_attr(&decl, DW_AT_specification, &attr), &next))
            decl = next;
        else
            break;
    }
    Dwarf_Die *scopes = nullptr;
    const int n = dwarf_getscopes_die(&decl, &scopes);
    std::string full = name;
    for (int i = 1; i < n; ++i) {
        const int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_namespace && tag != DW_TAG_class_type && tag != DW_TAG_structure_type &&
            tag != DW_TAG_union_type)
            continue;
        const char *scope = dwarf_diename(&scopes[i]);
        full = std::string(scope ? scope : "(anonymous namespace)") + "::" + full;
    }
    free(scopes);
    return full;
}

// The type of a DIE (a function's return type, a parameter's, a pointer's
// target), through typedefs and qualifiers; false when it has none (void).
bool unqualified_type(Dwarf_Die *of, Dwarf_Die *type)
{
    Dwarf_Attribute attr;
    if (!dwarf_formref_die(dwarf_attr_integrate(of, DW_AT_type, &attr), type))
        return false;
    for (int tag = dwarf_tag(type); tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
                                    tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type;
         tag = dwarf_tag(type))
        if (!dwarf_formref_die(dwarf_attr_integrate(type, DW_AT_type, &attr), type))
            return false;
    return true;
}

bool is_struct(Dwarf_Die *type)
{
    return dwarf_tag(type) == DW_TAG_structure_type || dwarf_tag(type) == DW_TAG_class_type;
}

// The struct a pointer-typed DIE (a function, a member) points to, through
// typedefs and qualifiers; empty for anything else.
std::string pointed_struct(Dwarf_Die *of)
{
    Dwarf_Die type;
    if (!unqualified_type(of, &type) || dwarf_tag(&type) != DW_TAG_pointer_type)
        return "";
    Dwarf_Die pointer = type;
    if (!unqualified_type(&pointer, &type) || !is_struct(&type))
        return "";
    const char *name = dwarf_diename(&type);
    return name ? name : "";
}

// The struct a function returns a pointer to ("struct thread *": "thread"),
// or, returning a struct by value whose one pointer to a struct is that
// pointer (a C++ handle such as Ref<Widget>, holding a Widget *), the
// struct it points to; empty for anything else. Lower case, as kinds are
// named ("class Widget": "widget").
std::string returned_struct(Dwarf_Die *function)
{
    std::string name = pointed_struct(function);
    Dwarf_Die type, member;
    if (name.empty() && unqualified_type(function, &type) && is_struct(&type) && dwarf_child(&type, &member) == 0) {
        int pointers = 0;
        do {
            if (dwarf_tag(&member) != DW_TAG_member)
                continue;
            if (std::string to = pointed_struct(&member); !to.empty()) {
                name = to;
                ++pointers;
            }
        } while (dwarf_siblingof(&member, &member) == 0);
        if (pointers != 1)
            name.clear();
    }
    for (char &c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

// Visits a DIE's children in order until visit returns true; whether it did.
template <class Visit> bool any_child(Dwarf_Die *parent, Visit visit)
{
    Dwarf_Die child;
    if (dwarf_child(parent, &child) != 0)
        return false;
    do
        if (visit(&child))
            return true;
    while (dwarf_siblingof(&child, &child) == 0);
    return false;
}

// Whether one of a function's formal parameters satisfies test. An
// inlined copy or an out-of-line instance is asked through its abstract
// origin, which lists every parameter: clang leaves out of the copy those
// that were optimized away.
template <class Test> bool any_parameter(Dwarf_Die *function, Test test)
{
    Dwarf_Die origin;
    Dwarf_Attribute attr;
    Dwarf_Die *declared = function;
    if (dwarf_formref_die(dwarf_attr(function, DW_AT_abstract_origin, &attr), &origin))
        declared = &origin;
    return any_child(declared, [&](Dwarf_Die *param) {
        return dwarf_tag(param) == DW_TAG_formal_parameter && test(param);
    });
}

// Whether a function takes a parameter it can hand a value back through:
// a pointer to a pointer, or to an integer as wide as one (perf's
// hashmap_delete(map, key, long *old_key, long *old_value)).
bool has_out_parameter(Dwarf_Die *function)
{
    return any_parameter(function, [](Dwarf_Die *param) {
        Dwarf_Die type, pointer;
        if (!unqualified_type(param, &pointer) || dwarf_tag(&pointer) != DW_TAG_pointer_type ||
            !unqualified_type(&pointer, &type))
            return false;
        return dwarf_tag(&type) == DW_TAG_pointer_type ||
               (dwarf_tag(&type) == DW_TAG_base_type && dwarf_bytesize(&type) == static_cast<int>(sizeof(void *)));
    });
}

// Whether a function takes a pointer of any type among its parameters.
bool has_pointer_parameter(Dwarf_Die *function)
{
    return any_parameter(function, [](Dwarf_Die *param) {
        Dwarf_Die type;
        return unqualified_type(param, &type) && dwarf_tag(&type) == DW_TAG_pointer_type;
    });
}

// Whether a function takes a pointer to a struct (its own object, a
// holder's block), or a pointer to such a pointer (a scope's cleanup,
// unit_unrefp(struct unit **), drops what its caller's variable holds): a
// destructor (usb_remove(struct device *)) rather than a generic helper
// freeing whatever it is handed (__zfree(void **)).
bool has_struct_parameter(Dwarf_Die *function)
{
    return any_parameter(function, [](Dwarf_Die *param) {
        Dwarf_Die type;
        return !pointed_struct(param).empty() ||
               (unqualified_type(param, &type) && dwarf_tag(&type) == DW_TAG_pointer_type &&
                !pointed_struct(&type).empty());
    });
}

// The file declaring a function, through its abstract origin; "" when
// DWARF says none. libdw 0.188 reads file index 0 as none, but in DWARF 5
// (clang's) it is the unit's own source file.
std::string declaring_file(Dwarf_Die *function)
{
    if (const char *file = dwarf_decl_file(function))
        return file;
    Dwarf_Attribute attr;
    Dwarf_Word index = 1;
    Dwarf_Die unit;
    if (!dwarf_attr_integrate(function, DW_AT_decl_file, &attr) || dwarf_formudata(&attr, &index) != 0 ||
        index != 0 || !dwarf_cu_die(attr.cu, &unit, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr))
        return "";
    Dwarf_Files *files = nullptr;
    size_t count = 0;
    if (dwarf_getsrcfiles(&unit, &files, &count) == 0 && count > 0)
        if (const char *file = dwarf_filesrc(files, 0, nullptr, nullptr))
            return file;
    const char *name = dwarf_diename(&unit);
    return name ? name : "";
}

bool is_cxx(Dwarf_Die *cu)
{
    const int lang = dwarf_srclang(cu);
    return lang == DW_LANG_C_plus_plus || lang == DW_LANG_C_plus_plus_03 || lang == DW_LANG_C_plus_plus_11 ||
           lang == DW_LANG_C_plus_plus_14;
}

// Whether a module carries its own DWARF (built with -g, not stripped).
// Debug information packaged apart (libc6-dbg's, under /usr/lib/debug) is
// not read: those are system libraries, whose frames the symbol table names
// well enough (the separate file's full symbol table is still used), and
// decompressing their DWARF costs more than the rest of a report (35 ms
// for libc's in perf report, against 22 ms for all of perf's own). Frames
// then read the same with the -dbg packages installed or not.
bool carries_dwarf(Dwfl_Module *module)
{
    auto *known = &indexes().carries_dwarf;
    auto it = known->find(module);
    if (it != known->end())
        return it->second;
    bool found = false;
    GElf_Addr bias = 0;
    Elf *elf = dwfl_module_getelf(module, &bias);
    size_t names = 0;
    if (elf && elf_getshdrstrndx(elf, &names) == 0) {
        for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn && !found; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr header;
            const char *name = gelf_getshdr(scn, &header) ? elf_strptr(elf, names, header.sh_name) : nullptr;
            found = name && header.sh_type != SHT_NOBITS && std::strcmp(name, ".debug_info") == 0;
        }
    }
    return known->emplace(module, found).first->second;
}

// A compilation unit's functions by address, read once per unit: each
// subprogram's ranges (two for one split into hot and cold parts), sorted.
// Finding the function that holds a pc is then a binary search instead of
// a walk over the unit's DIEs (dwarf_getscopes walks them all, per pc).

void collect_functions(Dwarf_Die *parent, std::vector<DieRange> &out)
{
    any_child(parent, [&](Dwarf_Die *child) {
        const int tag = dwarf_tag(child);
        if (tag == DW_TAG_namespace) { // C++ functions sit in theirs
            collect_functions(child, out);
        } else if (tag == DW_TAG_subprogram) {
            Dwarf_Addr base, low, high;
            for (ptrdiff_t at = 0; (at = dwarf_ranges(child, at, &base, &low, &high)) > 0;)
                out.push_back({low, high, *child});
        }
        return false;
    });
}

const std::vector<DieRange> &unit_functions(Dwarf_Die *cu)
{
    auto *units = &indexes().functions;
    auto unit = units->find(cu->addr);
    if (unit == units->end()) {
        std::vector<DieRange> functions;
        collect_functions(cu, functions);
        std::sort(functions.begin(), functions.end(),
                  [](const DieRange &x, const DieRange &y) { return x.low < y.low; });
        unit = units->emplace(cu->addr, std::move(functions)).first;
    }
    return unit->second;
}

const DieRange *function_at(Dwarf_Die *cu, Dwarf_Addr rel)
{
    const std::vector<DieRange> &functions = unit_functions(cu);
    auto it = std::upper_bound(functions.begin(), functions.end(), rel,
                               [](Dwarf_Addr a, const DieRange &f) { return a < f.low; });
    if (it == functions.begin() || rel >= (--it)->high)
        return nullptr;
    return &*it;
}

// The compilation unit holding pc, and the module's bias. libdw 0.188
// finds it through .debug_aranges, which clang does not emit; then it is
// found through each unit's own address ranges, read once per module.
Dwarf_Die *cu_at(Dwfl_Module *module, uintptr_t pc, Dwarf_Addr &bias)
{
    if (Dwarf_Die *cu = dwfl_module_addrdie(module, pc, &bias))
        return cu;
    auto *modules = &indexes().units;
    auto it = modules->find(module);
    if (it == modules->end()) {
        std::vector<DieRange> units;
        Dwarf_Addr unit_bias = 0;
        for (Dwarf_Die *cu = nullptr; (cu = dwfl_module_nextcu(module, cu, &unit_bias));) {
            Dwarf_Addr base, low, high;
            for (ptrdiff_t at = 0; (at = dwarf_ranges(cu, at, &base, &low, &high)) > 0;)
                units.push_back({low, high, *cu});
        }
        std::sort(units.begin(), units.end(), [](const DieRange &x, const DieRange &y) { return x.low < y.low; });
        it = modules->emplace(module, std::move(units)).first;
    }
    if (!dwfl_module_getdwarf(module, &bias))
        return nullptr;
    const Dwarf_Addr rel = pc - bias;
    auto unit = std::upper_bound(it->second.begin(), it->second.end(), rel,
                                 [](Dwarf_Addr a, const DieRange &u) { return a < u.low; });
    if (unit == it->second.begin() || rel >= (--unit)->high)
        return nullptr;
    return &unit->die;
}

// What unit_inlined_away() reads: the abstract functions DWARF says were
// inlined (DW_INL_inlined, DW_INL_declared_inlined), those inlined scopes
// name, and the entries of their out-of-line copies, through every
// function, block and namespace.
struct Inlining {
    std::map<Dwarf_Off, std::string> inlined;
    std::set<Dwarf_Off> named;
    std::multimap<Dwarf_Off, Dwarf_Addr> copies;
};

void collect_inlining(Dwarf_Die *parent, Inlining &out)
{
    any_child(parent, [&](Dwarf_Die *child) {
        const int tag = dwarf_tag(child);
        Dwarf_Attribute attr;
        Dwarf_Die origin;
        const bool has_origin = dwarf_formref_die(dwarf_attr(child, DW_AT_abstract_origin, &attr), &origin);
        if (tag == DW_TAG_inlined_subroutine && has_origin)
            out.named.insert(dwarf_dieoffset(&origin));
        if (tag == DW_TAG_subprogram && has_origin) { // a copy; its ranges: a hot and a cold part
            Dwarf_Addr base, entry, high;
            for (ptrdiff_t at = 0; (at = dwarf_ranges(child, at, &base, &entry, &high)) > 0;)
                out.copies.emplace(dwarf_dieoffset(&origin), entry);
        }
        // Marked inlined, or a definition with no code of its own (GCC
        // made it an alias of the function it folded it into).
        Dwarf_Word how = 0;
        const bool marked_inlined = dwarf_formudata(dwarf_attr(child, DW_AT_inline, &attr), &how) == 0 &&
                                    (how == DW_INL_inlined || how == DW_INL_declared_inlined);
        const bool codeless = !has_origin && !dwarf_hasattr(child, DW_AT_inline) &&
                              !dwarf_hasattr(child, DW_AT_declaration) && !dwarf_hasattr(child, DW_AT_specification) &&
                              !dwarf_hasattr(child, DW_AT_low_pc) && !dwarf_hasattr(child, DW_AT_ranges);
        bool linkage = false;
        const char *name = tag == DW_TAG_subprogram && (marked_inlined || codeless) ? function_name(child, linkage) : nullptr;
        if (name)
            out.inlined.emplace(dwarf_dieoffset(child), boost::core::demangle(name));
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block ||
            tag == DW_TAG_namespace)
            collect_inlining(child, out);
        return false;
    });
}

// A unit's functions inlined away (Symbol::inlined_away), read once per
// unit. A function whose out-of-line copies are all GCC's clones
// (doc_new.constprop.0) is marked inlined for the clone's sake, and was
// never inlined: not one.
const std::vector<std::string> &unit_inlined_away(Dwfl_Module *module, Dwarf_Die *cu, Dwarf_Addr bias)
{
    auto *units = &indexes().inlined_away;
    auto unit = units->find(cu->addr);
    if (unit == units->end()) {
        Inlining found;
        collect_inlining(cu, found);
        std::vector<std::string> away;
        for (const auto &f : found.inlined) {
            if (found.named.count(f.first))
                continue;
            const auto copies = found.copies.equal_range(f.first);
            bool cloned = copies.first != copies.second;
            for (auto c = copies.first; c != copies.second; ++c) {
                const char *symbol = dwfl_module_addrname(module, c->second + bias);
                cloned = cloned && symbol && std::strchr(symbol, '.');
            }
            if (!cloned)
                away.push_back(f.second);
        }
        unit = units->emplace(cu->addr, std::move(away)).first;
    }
    return unit->second;
}

// Descends from a function to the scopes inlined into it that hold rel (a
// module-relative pc), outermost first, through lexical blocks.
void descend(Dwarf_Die *parent, Dwarf_Addr rel, std::vector<Dwarf_Die> &path)
{
    any_child(parent, [&](Dwarf_Die *child) {
        const int tag = dwarf_tag(child);
        if ((tag != DW_TAG_inlined_subroutine && tag != DW_TAG_lexical_block) || dwarf_haspc(child, rel) != 1)
            return false;
        if (tag == DW_TAG_inlined_subroutine)
            path.push_back(*child);
        descend(child, rel, path);
        return true;
    });
}

// The function scopes holding pc, innermost first; empty without DWARF.
struct Scopes {
    Dwfl_Module *module = nullptr;
    Dwarf_Die *cu = nullptr;
    Dwarf_Addr bias = 0;
    std::vector<Dwarf_Die> functions;

    explicit Scopes(uintptr_t pc)
    {
        module = module_at(pc);
        cu = module && carries_dwarf(module) ? cu_at(module, pc, bias) : nullptr;
        const DieRange *function = cu ? function_at(cu, pc - bias) : nullptr;
        if (!function)
            return;
        Dwarf_Die top = function->die;
        functions.push_back(top);
        descend(&top, pc - bias, functions);
        std::reverse(functions.begin(), functions.end());
    }
};

// Each level of an inline chain, innermost first; empty without debug
// information. unqualified: the outermost level wants its name from the
// symbol table (a function whose DWARF is in a split .dwo file).
std::vector<Symbol> inline_chain(uintptr_t pc, bool &unqualified)
{
    unqualified = false;
    std::vector<Symbol> chain;
    const Scopes scopes(pc);
    if (!scopes.cu)
        return chain;
    Dwarf_Files *files = nullptr;
    if (!scopes.functions.empty() && dwarf_getsrcfiles(scopes.cu, &files, nullptr) != 0)
        files = nullptr;
    // The innermost level's line is pc's; each outer level's is where the
    // level inside it was inlined (its call_file and call_line).
    const char *file = nullptr;
    int line = 0;
    if (Dwarf_Line *l = dwarf_getsrc_die(scopes.cu, pc - scopes.bias)) {
        file = dwarf_linesrc(l, nullptr, nullptr);
        dwarf_lineno(l, &line);
    }
    // A unit whose functions are elsewhere (-gsplit-dwarf keeps them in .dwo
    // files): its line table still says where pc is; the symbol names it.
    if (scopes.functions.empty() && file) {
        Symbol s;
        s.function = "??";
        s.file = file;
        s.line = line > 0 ? static_cast<unsigned>(line) : 0;
        s.inlined = true; // the outermost: symbolize_inline marks it so
        chain.push_back(std::move(s));
        unqualified = true;
        return chain;
    }
    for (Dwarf_Die die : scopes.functions) {
        // The linkage name, demangled, names C++ functions in full (their
        // DW_AT_name is unqualified); C functions have only their name.
        bool linkage = false;
        const char *name = function_name(&die, linkage);
        if (!name)
            break;
        Symbol s;
        s.function = !linkage && is_cxx(scopes.cu) ? scoped_name(&die, name) : boost::core::demangle(name);
        s.file = file ? file : "";
        s.line = line > 0 ? static_cast<unsigned>(line) : 0;
        s.inlined = true;
        s.returns = returned_struct(&die);
        Dwarf_Attribute type;
        s.returns_void = dwarf_attr_integrate(&die, DW_AT_type, &type) == nullptr;
        s.hands_back = has_out_parameter(&die);
        s.takes_struct = has_struct_parameter(&die);
        s.takes_pointer = has_pointer_parameter(&die);
        s.declared = true;
        // C's names are flat: one name in two files is two functions. (C++
        // names its functions by scope; an inlined copy's short name is
        // another matter, left as it is.)
        if (!is_cxx(scopes.cu))
            s.decl_file = declaring_file(&die);
        s.inlined_away = &unit_inlined_away(scopes.module, scopes.cu, scopes.bias);
        chain.push_back(std::move(s));
        if (dwarf_tag(&die) != DW_TAG_inlined_subroutine)
            break;
        Dwarf_Attribute attr;
        Dwarf_Word value = 0;
        file = files && dwarf_formudata(dwarf_attr(&die, DW_AT_call_file, &attr), &value) == 0
                   ? dwarf_filesrc(files, value, nullptr, nullptr)
                   : nullptr;
        line = dwarf_formudata(dwarf_attr(&die, DW_AT_call_line, &attr), &value) == 0 ? static_cast<int>(value) : 0;
    }
    return chain;
}

// The entry of the function whose code holds pc, by its DWARF; 0 without.
uintptr_t dwarf_function_start(uintptr_t pc)
{
    // The function alone: its inlined scopes do not move its entry.
    Dwfl_Module *module = module_at(pc);
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = module && carries_dwarf(module) ? cu_at(module, pc, bias) : nullptr;
    const DieRange *function = cu ? function_at(cu, pc - bias) : nullptr;
    if (!function)
        return 0;
    Dwarf_Die die = function->die;
    Dwarf_Addr entry = 0;
    return dwarf_entrypc(&die, &entry) == 0 ? entry + bias : 0;
}

// Every call site beneath a DIE (through inlined scopes and blocks) that
// GCC marked a tail call, DWARF 5's or its GNU predecessor's.
void collect_tail_calls(Dwarf_Die *parent, std::vector<Dwarf_Die> &out)
{
    any_child(parent, [&](Dwarf_Die *child) {
        const int tag = dwarf_tag(child);
        Dwarf_Attribute attr;
        bool tail = false, flag = false;
        if (tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site)
            for (const int at : {DW_AT_call_tail_call, DW_AT_GNU_tail_call})
                if (dwarf_attr(child, at, &attr) && dwarf_formflag(&attr, &flag) == 0 && flag)
                    tail = true;
        if (tail)
            out.push_back(*child);
        else if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block)
            collect_tail_calls(child, out);
        return false;
    });
}

std::vector<TailCall> dwarf_tail_calls(uintptr_t entry)
{
    std::vector<TailCall> calls;
    Dwfl_Module *module = module_at(entry);
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = module && carries_dwarf(module) ? cu_at(module, entry, bias) : nullptr;
    const DieRange *function = cu ? function_at(cu, entry - bias) : nullptr;
    if (!function)
        return calls;
    Dwarf_Die die = function->die;
    std::vector<Dwarf_Die> sites;
    collect_tail_calls(&die, sites);
    for (Dwarf_Die &site : sites) {
        Dwarf_Attribute attr;
        Dwarf_Die origin;
        if (!dwarf_formref_die(dwarf_attr(&site, DW_AT_call_origin, &attr), &origin) &&
            !dwarf_formref_die(dwarf_attr(&site, DW_AT_abstract_origin, &attr), &origin))
            continue; // through a pointer: no origin
        const char *name = dwarf_diename(&origin);
        if (!name)
            continue;
        // Its entry, when the unit defines it: the function whose DIE, or
        // whose concrete instance's abstract origin, is the call's origin.
        TailCall call{name, 0};
        for (const DieRange &f : unit_functions(cu)) {
            Dwarf_Die candidate = f.die, abstract;
            const bool same = dwarf_dieoffset(&candidate) == dwarf_dieoffset(&origin) ||
                              (dwarf_formref_die(dwarf_attr(&candidate, DW_AT_abstract_origin, &attr), &abstract) &&
                               dwarf_dieoffset(&abstract) == dwarf_dieoffset(&origin));
            Dwarf_Addr at = 0;
            if (same && dwarf_entrypc(&candidate, &at) == 0) {
                call.entry = at + bias;
                break;
            }
        }
        calls.push_back(std::move(call));
    }
    return calls;
}
#else
std::vector<Symbol> inline_chain(uintptr_t, bool &) { return {}; }
uintptr_t dwarf_function_start(uintptr_t) { return 0; }
std::vector<TailCall> dwarf_tail_calls(uintptr_t) { return {}; }
#endif

// The symbol-table entry holding pc: its name ("" when none) and start.
// libdw reads a module's full symbol table (static functions too) when an
// address in it is first asked for; without it, dladdr's dynamic symbols.
struct SymbolEntry {
    std::string name;
    uintptr_t start = 0;
};

SymbolEntry symbol_at(uintptr_t pc)
{
#if REFDEBUG_HAVE_LIBDW
    if (Dwfl_Module *module = module_at(pc)) {
        GElf_Off offset = 0;
        GElf_Sym sym;
        if (const char *name = dwfl_module_addrinfo(module, pc, &offset, &sym, nullptr, nullptr, nullptr))
            return {name, pc - offset};
    }
#else
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(pc), &info) && info.dli_sname)
        return {info.dli_sname, reinterpret_cast<uintptr_t>(info.dli_saddr)};
#endif
    return {};
}

// The binary holding pc, and return_address's offset in it; false when
// nothing holds pc.
bool module_of(uintptr_t return_address, uintptr_t pc, Symbol &sym)
{
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void *>(pc), &info))
        return false;
    if (info.dli_fname) {
        sym.module = info.dli_fname;
        const size_t slash = sym.module.rfind('/');
        if (slash != std::string::npos)
            sym.module.erase(0, slash + 1);
    }
    sym.offset = return_address - reinterpret_cast<uintptr_t>(info.dli_fbase);
    return true;
}

// The function the code is in, when there is no inline chain: without DWARF
// the symbol table names it, and its location is module+0xoffset. Without
// libdw, Boost's symbolizer.
Symbol physical_frame(uintptr_t return_address, uintptr_t pc)
{
    Symbol sym;
#if REFDEBUG_HAVE_LIBDW
    const SymbolEntry entry = symbol_at(pc);
    if (!entry.name.empty())
        sym.function = without_clone_suffix(boost::core::demangle(entry.name.c_str()));
#else
    const boost::stacktrace::frame frame(reinterpret_cast<const void *>(pc));
    sym.function = without_clone_suffix(frame.name());
    sym.file = frame.source_file();
    sym.line = static_cast<unsigned>(frame.source_line());
#endif
    module_of(return_address, pc, sym);
    if (sym.function.empty())
        sym.function = "??";
    return sym;
}

} // namespace

std::string Symbol::location() const
{
    if (!file.empty() && line)
        return file + ":" + std::to_string(line);
    char buf[32];
    std::snprintf(buf, sizeof buf, "+0x%lx", static_cast<unsigned long>(offset));
    return (module.empty() ? std::string("??") : module) + buf;
}

namespace {
// Every address symbolized, with its frames (leaked, as the other caches).
std::unordered_map<uintptr_t, std::vector<Symbol>> &inline_cache()
{
    static auto *cache = new std::unordered_map<uintptr_t, std::vector<Symbol>>;
    return *cache;
}
} // namespace

const std::vector<Symbol> &symbolize_inline(uintptr_t return_address)
{
    std::unordered_map<uintptr_t, std::vector<Symbol>> *cache = &inline_cache();
    std::lock_guard<std::mutex> guard(symbolizer_lock());
    auto it = cache->find(return_address);
    if (it != cache->end())
        return it->second;

    const uintptr_t pc = return_address ? return_address - 1 : 0;
    bool unqualified = false;
    std::vector<Symbol> frames = inline_chain(pc, unqualified);
    if (frames.empty()) {
        frames.push_back(physical_frame(return_address, pc));
    } else {
        frames.back().inlined = false; // the outermost level is the function the code is in
        // Its symbol names it where its DWARF is elsewhere (a .dwo file).
        if (unqualified) {
            const SymbolEntry entry = symbol_at(pc);
            if (!entry.name.empty())
                frames.back().function = boost::core::demangle(entry.name.c_str());
        }
        Symbol where;
        module_of(return_address, pc, where);
        for (Symbol &s : frames) {
            s.function = without_clone_suffix(s.function);
            s.module = where.module;
            s.offset = where.offset;
        }
    }
    return cache->emplace(return_address, std::move(frames)).first->second;
}

bool qualify_shared_names()
{
    std::lock_guard<std::mutex> guard(symbolizer_lock());
    // Each name (as DWARF gives it) with the files declaring it, over every
    // report so far: a name once shared stays told apart.
    static auto *declared = new std::unordered_map<std::string, std::set<std::string>>;
    const auto name_of = [](const Symbol &s) {
        return s.qualified ? s.function.substr(s.function.find("::") + 2) : s.function;
    };
    for (const auto &entry : inline_cache())
        for (const Symbol &s : entry.second)
            if (!s.decl_file.empty())
                (*declared)[name_of(s)].insert(s.decl_file);
    bool changed = false;
    for (auto &entry : inline_cache())
        for (Symbol &s : entry.second) {
            if (s.qualified || s.decl_file.empty())
                continue;
            const std::set<std::string> &files = (*declared)[s.function];
            if (files.size() < 2)
                continue;
            // The file's name alone, unless another declaring file has it too.
            std::string file = s.decl_file.substr(s.decl_file.rfind('/') + 1);
            for (const std::string &other : files)
                if (other != s.decl_file && other.substr(other.rfind('/') + 1) == file)
                    file = s.decl_file;
            s.function = file + "::" + s.function;
            s.qualified = true;
            changed = true;
        }
    return changed;
}

uintptr_t function_start(uintptr_t pc)
{
    // Asked for every frame of every reported stack (tail-call recovery).
    static auto *cache = new std::unordered_map<uintptr_t, uintptr_t>;
    std::lock_guard<std::mutex> guard(symbolizer_lock());
    auto it = cache->find(pc);
    if (it != cache->end())
        return it->second;
    // DWARF first: libdw's symbol lookup scans the whole symbol table.
    uintptr_t start = dwarf_function_start(pc);
    if (!start)
        start = symbol_at(pc).start;
    return cache->emplace(pc, start).first->second;
}

const std::vector<TailCall> &tail_calls(uintptr_t entry)
{
    static auto *cache = new std::unordered_map<uintptr_t, std::vector<TailCall>>;
    std::lock_guard<std::mutex> guard(symbolizer_lock());
    auto it = cache->find(entry);
    if (it == cache->end())
        it = cache->emplace(entry, dwarf_tail_calls(entry)).first;
    return it->second;
}

} // namespace refdebug
