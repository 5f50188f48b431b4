l = [3, 1, 2]
l.append(4)
l.extend([5, 6])
l.insert(0, 0)
l.insert(-1, 99)
print(l, l.pop(), l.pop(0), l)
l.remove(99)
print(l, l.index(2), l.count(1), len(l), l[::-1], l[1:-1], l[::2])
l.sort()
print(l)
l.sort(reverse=True)
print(l)
l.reverse()
print(l, l.copy() == l, l.copy() is l)
words = ["banana", "Apple", "cherry"]
words.sort(key=str.lower)
print(words)
words.sort(key=lambda w: len(w))
print(words)
l[1:3] = ["a", "b", "c"]
print(l)
del l[0]
del l[-2:]
print(l)
l.clear()
print(l, [] == l)
m = [[0] * 3 for _ in range(2)]
m[0][1] = 5
print(m, [1, 2] + [3], [0] * 4, [1, [2, 3]][1][0])
t = (1, 2, 3)
print(t, t[1], t[-1], t[1:], t + (4,), t * 2, t.index(2), t.count(3), len(t), (1,), ())
a, b = 1, 2
a, b = b, a
print(a, b)
x, *rest = [1, 2, 3, 4]
*first, y = "abc"
p, (q, r) = 1, (2, 3)
print(x, rest, first, y, p, q, r)
i = j = k = 0
print(i, j, k)
nums = list(range(10))
print(nums[2:8:2], nums[-3:], nums[:3], nums[8:2:-2], nums[::-3], nums[-100:100])
print(list("abc"), tuple([1, 2]), list(range(3, 0, -1)), list(reversed([1, 2, 3])), list(enumerate("ab", 1)))
print(list(zip([1, 2, 3], "ab")), list(map(str, [1, 2])), list(filter(None, [0, 1, 2, ""])), sum([1, 2, 3]), sum([0.5, 0.25], 1))
print(any([0, 0, 1]), all([1, 1, 0]), any([]), all([]))
