// SPDX-License-Identifier: MIT
// A C++ handle over refcount_t: Ref's copy takes a reference, its
// destructor drops it, release() hands the raw pointer out. lookup()
// returns a Ref by value: it hands its reference to its caller, as a
// function returning a Widget * would (the handle's one pointer member
// says so, from DWARF). One caller releases the raw pointer and never puts
// it. The vector of handles is cleared, then its buffer, still holding the
// pointers clear() put, is freed by libc's exit handlers: that names no
// code to fix.
extern "C" {
#include <linux/refcount.h>
}
#include <utility>
#include <vector>

struct Widget {
	refcount_t ref;
	int id;
};

static __attribute__((noinline)) Widget *widget_new(int id)
{
	auto *w = new Widget;
	refcount_set(&w->ref, 1);
	w->id = id;
	return w;
}

static __attribute__((noinline)) void widget_get(Widget *w)
{
	refcount_inc(&w->ref);
}

static __attribute__((noinline)) void widget_put(Widget *w)
{
	if (w && refcount_dec_and_test(&w->ref))
		delete w;
}

class Ref {
  public:
	explicit Ref(Widget *w = nullptr) : w_(w) {}
	Ref(const Ref &o) : w_(o.w_)
	{
		if (w_)
			widget_get(w_);
	}
	Ref(Ref &&o) noexcept : w_(std::exchange(o.w_, nullptr)) {}
	Ref &operator=(Ref o)
	{
		std::swap(w_, o.w_);
		return *this;
	}
	~Ref() { widget_put(w_); }
	Widget *get() const { return w_; }
	Widget *release() { return std::exchange(w_, nullptr); }

  private:
	Widget *w_;
};

static std::vector<Ref> pool;

static __attribute__((noinline)) Ref lookup(int id)
{
	for (auto &r : pool)
		if (r.get()->id == id)
			return r;
	return Ref();
}

static __attribute__((noinline)) int sum_ids(int n)
{
	int s = 0;
	for (int i = 0; i < n; i++) {
		Ref r = lookup(i % 10);
		s += r.get()->id;
	}
	return s;
}

static __attribute__((noinline)) int steal_one(int id)
{
	Ref r = lookup(id);
	Widget *raw = r.release();
	return raw->id; // the planted bug: raw is never put
}

int main()
{
	for (int i = 0; i < 10; i++)
		pool.emplace_back(widget_new(i));
	const int s = sum_ids(100) + steal_one(4);
	pool.clear();
	return s == 454 ? 0 : 1;
}
