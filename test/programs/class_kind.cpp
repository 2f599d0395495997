// SPDX-License-Identifier: MIT
// A C++ class whose constructor sets the count up, with get()/put()
// methods and no function declared to return a pointer to it (lookups
// fill an out parameter). Session::annotate() forgets its put when the
// map has no symbols (the planted bug). The group's kind is the
// constructor's class, "map": no kind was found before ("-"), and with
// none no reclaimed map was read to say what each function normally does.
#include <linux/refcount.h>
#include <cstdio>
#include <cstring>
#include <vector>

class Map {
public:
	refcount_t ref;
	int id, nr_syms;
	Map(int i, int syms) : id(i), nr_syms(syms) { refcount_set(&ref, 1); }
	void get() { refcount_inc(&ref); }
	void put() { if (refcount_dec_and_test(&ref)) delete this; }
};

class Maps {
	std::vector<Map *> maps_;
public:
	void add(Map *m) { maps_.push_back(m); }
	bool find(int id, Map **out)
	{
		for (Map *m : maps_)
			if (m->id == id) {
				m->get();
				*out = m;
				return true;
			}
		return false;
	}
	void clear()
	{
		for (Map *m : maps_)
			m->put();
		maps_.clear();
	}
};

class Session {
	Maps &maps_;
public:
	explicit Session(Maps &m) : maps_(m) {}
	int annotate(int id)
	{
		Map *m;
		if (!maps_.find(id, &m))
			return -1;
		if (!m->nr_syms)
			return 0; // BUG: m is not put
		int n = m->nr_syms;
		m->put();
		return n;
	}
	int syms(int id)
	{
		Map *m;
		if (!maps_.find(id, &m))
			return 0;
		int n = m->nr_syms;
		m->put();
		return n;
	}
};

int main()
{
	Maps maps;
	for (int i = 0; i < 20; i++)
		maps.add(new Map(i, i % 7));
	Session s(maps);
	long total = 0;
	for (int k = 0; k < 60; k++)
		total += s.annotate(k % 23) + s.syms(k % 21) + s.syms(k % 19);
	maps.clear();
	std::printf("%ld\n", total);
	return 0;
}
