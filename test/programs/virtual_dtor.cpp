// SPDX-License-Identifier: MIT
// A class hierarchy deleted through its base: every Shape holds its style,
// released by ~Shape(); a Sprite also holds a texture, which ~Sprite()
// forgets to release. The deleting destructor frees the Sprite still
// pointing at the texture: a freed holder, whose freeing function is the
// class's own destructor, not the plumbing past it (main() was named).
// Built at -O1 only: at -O2 the deleting destructor ends in a tail call to
// operator delete, reached through the virtual call, and no frame of it is
// left to name.
#include <linux/refcount.h>
#include <cstdio>
#include <vector>
struct Res { refcount_t ref; int id; };
static Res *res_get(Res *r) { refcount_inc(&r->ref); return r; }
static void res_put(Res *r) { if (refcount_dec_and_test(&r->ref)) delete r; }
static Res *res_new(int id) { Res *r = new Res; r->id = id; refcount_set(&r->ref, 1); return r; }
struct Shape {
	explicit Shape(Res *style) : style_(res_get(style)) {}
	virtual ~Shape() { res_put(style_); }
	virtual int area() const = 0;
	Res *style_;
};
struct Box : Shape {
	Box(Res *style, int w) : Shape(style), w_(w) {}
	int area() const override { return w_ * w_; }
	int w_;
};
struct Sprite : Shape {
	Sprite(Res *style, Res *tex) : Shape(style), tex_(res_get(tex)) {}
	~Sprite() override { /* the planted bug: no res_put(tex_) */ }
	int area() const override { return tex_->id; }
	Res *tex_;
};
int main()
{
	Res *style = res_new(1), *tex[2] = {res_new(100), res_new(200)};
	long a = 0;
	for (int r = 0; r < 5; r++) {
		std::vector<Shape *> scene;
		for (int i = 0; i < 4; i++) {
			scene.push_back(new Box(style, i + 1));
			if (i % 2) scene.push_back(new Sprite(style, tex[i / 2]));
		}
		for (Shape *s : scene) a += s->area();
		for (Shape *s : scene) delete s;
	}
	res_put(style); res_put(tex[0]); res_put(tex[1]);
	std::printf("%ld\n", a);
	return 0;
}
