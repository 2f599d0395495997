// SPDX-License-Identifier: MIT
// The header from C++: an RAII handle, and one raw get that is never put.
#include <linux/refcount.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

struct Node {
    refcount_t ref = REFCOUNT_INIT(0);
    int value = 0;
};

class Handle {
  public:
    explicit Handle(Node *n) : n_(n) { refcount_inc(&n_->ref); }
    Handle(const Handle &o) : n_(o.n_) { refcount_inc(&n_->ref); }
    Handle &operator=(const Handle &) = delete;
    ~Handle()
    {
        if (refcount_dec_and_test(&n_->ref))
            delete n_;
    }
    Node *get() const { return n_; }

  private:
    Node *n_;
};

Node *make_node(int v)
{
    Node *n = new Node;
    refcount_set(&n->ref, 1);
    n->value = v;
    return n;
}

__attribute__((noinline)) void leak_one(Node *n) { refcount_inc(&n->ref); }

} // namespace

int main()
{
    std::vector<Handle> handles;
    Node *kept = make_node(1);
    Node *leaked = make_node(2);
    {
        Handle h(kept);
        handles.push_back(h);
        handles.push_back(Handle(leaked));
    }
    leak_one(leaked);
    handles.clear();
    if (refcount_dec_and_test(&kept->ref))
        delete kept;
    if (refcount_dec_and_test(&leaked->ref))
        delete leaked; // not reached: leak_one's reference remains
    std::printf("done\n");
    return 0;
}
