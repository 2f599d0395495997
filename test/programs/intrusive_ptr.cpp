// SPDX-License-Identifier: MIT
// A C++ intrusive pointer whose copy assignment takes the new pointee and
// forgets to release the old one (planted). Tracks share their album's
// cover; retagging a few tracks assigns them a fresh cover, and the old
// cover keeps the reference each retagged track's constructor took: no
// operation records the overwrite. The handle's destructor, run by the
// track's, is the holders' release: it dropped as many references as the
// tracks' constructor took, and in each fresh cover's life exactly what
// the assignment took there (no life the constructor took references in
// ended: the counts alone speak).
extern "C" {
#include <linux/refcount.h>
}
#include <cstdio>
#include <string>
#include <vector>

struct Cover {
	refcount_t refs;
	std::string path;
	explicit Cover(std::string p) : path(std::move(p)) { refcount_set(&refs, 1); }
};

static __attribute__((noinline)) void cover_get(Cover *c) { refcount_inc(&c->refs); }
static __attribute__((noinline)) void cover_put(Cover *c)
{
	if (c && refcount_dec_and_test(&c->refs))
		delete c;
}

template <typename T> class Ref {
  public:
	explicit Ref(T *p) : p_(p) {} // adopts the caller's reference
	Ref(const Ref &o) : p_(o.p_) { cover_get(p_); }
	Ref &operator=(const Ref &o)
	{
		if (this != &o) {
			cover_get(o.p_);
			p_ = o.p_; // planted: cover_put() of the old pointee missing
		}
		return *this;
	}
	~Ref() { cover_put(p_); }
	T *operator->() const { return p_; }

  private:
	T *p_;
};

struct Track {
	Ref<Cover> cover;
	int number;
	Track(const Ref<Cover> &c, int n) : cover(c), number(n) {}
};

static __attribute__((noinline)) size_t retag(std::vector<Track> &tracks, int every)
{
	size_t bytes = 0;
	for (size_t i = 0; i < tracks.size(); i += every) {
		Ref<Cover> fresh(new Cover("retagged-" + std::to_string(i) + ".png"));
		tracks[i].cover = fresh;
		bytes += tracks[i].cover->path.size();
	}
	return bytes;
}

static __attribute__((noinline)) size_t play(const Ref<Cover> &cover, int n, int every)
{
	std::vector<Track> tracks;
	tracks.reserve(n);
	for (int i = 0; i < n; i++)
		tracks.emplace_back(cover, i);
	return retag(tracks, every);
}

int main()
{
	Ref<Cover> front(new Cover("front.png"));
	size_t total = play(front, 40, 5);
	std::printf("%zu\n", total);
	return 0;
}
