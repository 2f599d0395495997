// SPDX-License-Identifier: MIT
// A template cache handing out references through the base class's own
// methods (Resource::get(), Resource::put() on an intrusive count),
// instantiated for textures and meshes; render_frame() forgets a
// texture's put when the mesh is hidden (the planted bug). The kind is
// the constructor's (texture); a C++ method named for the operation it
// performs is its class's API and its derived classes': Resource::get()
// itself was named, as if it kept the reference.
#include <linux/refcount.h>
#include <cstdio>
#include <map>
#include <string>

struct Resource {
	refcount_t ref;
	int id;
	explicit Resource(int i) : id(i) { refcount_set(&ref, 1); }
	virtual ~Resource() {}
	void get() { refcount_inc(&ref); }
	void put() { if (refcount_dec_and_test(&ref)) delete this; }
};
struct Texture : Resource { using Resource::Resource; int w = 64; };
struct Mesh : Resource { using Resource::Resource; bool hidden = false; };

template <class K, class V> class Cache {
	std::map<K, V *> items_;
public:
	V *get(const K &k)
	{
		auto it = items_.find(k);
		if (it == items_.end())
			it = items_.emplace(k, new V(static_cast<int>(items_.size()))).first;
		it->second->get();
		return it->second;
	}
	~Cache()
	{
		for (auto &kv : items_)
			kv.second->put();
	}
};

static Cache<int, Texture> *textures;
static Cache<std::string, Mesh> *meshes;

static int render_frame(int frame)
{
	Texture *t = textures->get(frame % 7);
	Mesh *m = meshes->get("mesh" + std::to_string(frame % 5));
	int drawn = 0;
	m->hidden = frame % 13 == 2;
	if (m->hidden) {
		m->put();
		return 0; // BUG: t is not put
	}
	drawn = t->w + m->id;
	m->put();
	t->put();
	return drawn;
}

static int preload(int i)
{
	Texture *t = textures->get(i % 7);
	int w = t->w;
	t->put();
	return w;
}

int main()
{
	textures = new Cache<int, Texture>;
	meshes = new Cache<std::string, Mesh>;
	long s = 0;
	for (int f = 0; f < 200; f++)
		s += render_frame(f) + preload(f);
	delete meshes;
	delete textures;
	std::printf("%ld\n", s);
	return 0;
}
