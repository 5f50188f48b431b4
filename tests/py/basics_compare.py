a, b, c = 1, 2, 3
print(a < b < c, a < b > c, a == 1 == True, 1 < 2 <= 2 < 3)
print(1 < 2.5, 'abc' < 'abd', 'Z' < 'a', [1, 2] < [1, 3], (1, 2) < (1, 2, 0), b'a' < b'b')
print(None is None, [] is [], 1 in [1, 2], 3 not in [1, 2], 'b' in 'abc', 'x' not in 'abc')
print(1 in {1: 2}, 2 in {1: 2}, 3 in range(5), 7 in range(0, 10, 2), 98 in b'abc', b'bc' in b'abc')
print(0 or 'x', 1 and 'y', '' or [] or 0, None and 1, 'a' and 'b' and 'c', 0 or None)
def side(n):
    print('side', n)
    return n
print(side(0) and side(1))
print(side(2) or side(3))
print(not side(0))
x = 5
print('big' if x > 3 else 'small', 'yes' if [] else 'no')
print([1, 2] == [1, 2], (1,) == (1,), {'a': 1} == {'a': 1}, {1, 2} == {2, 1}, 1 == 1.0, 'a' != 'b')
print(max(3, 1, 2), min([4, 5, 1]), max('apple', 'pear'), min((3, 'b'), (3, 'a')))
print(max([1, -5, 3], key=abs), min(['aa', 'b', 'ccc'], key=len), max([], default=0))
print(sorted([3, 1, 2]), sorted(['b', 'A', 'a']), sorted([3, 1, 2], reverse=True), sorted(['bb', 'a', 'ccc'], key=len))
print(sorted([(1, 'b'), (1, 'a'), (0, 'z')]), sorted({'b': 1, 'a': 2}))
