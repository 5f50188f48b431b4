class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} says {self.sound}"
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"
class Dog(Animal):
    sound = "woof"
class Puppy(Dog):
    def speak(self):
        return super().speak() + "!"
class Cat(Animal):
    def __init__(self, name, indoor=True):
        super().__init__(name)
        self.indoor = indoor
    def speak(self):
        return "meow" if self.indoor else Animal.speak(self)
pets = [Dog("Rex"), Puppy("Bit"), Cat("Tom"), Cat("Ali", indoor=False), Animal("Gen")]
for p in pets:
    print(p, p.speak(), isinstance(p, Dog), type(p).__mro__[1].__name__)
print(pets)
print(issubclass(Puppy, Animal), Puppy.__bases__, Dog.sound, Puppy.sound)
class Base:
    def __init__(self):
        self.log = ["Base"]
class Mixin:
    def hello(self):
        return "mixin hello"
class Child(Base, Mixin):
    def __init__(self):
        super().__init__()
        self.log.append("Child")
c = Child()
print(c.log, c.hello(), isinstance(c, Mixin))
class Temp:
    def __init__(self, c):
        self.c = c
    def __lt__(self, other):
        return self.c < other.c
    def __repr__(self):
        return f"T{self.c}"
print(sorted([Temp(3), Temp(1), Temp(2)]), min(Temp(5), Temp(4)), Temp(1) < Temp(2), Temp(2) > Temp(1))
class Money:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return Money(self.v + (o.v if isinstance(o, Money) else o))
    def __radd__(self, o):
        return self.__add__(o)
    def __mul__(self, k):
        return Money(self.v * k)
    def __eq__(self, o):
        return isinstance(o, Money) and o.v == self.v
    def __str__(self):
        return f"${self.v:.2f}"
print(Money(1) + Money(2), 5 + Money(1), sum([Money(1), Money(2)], Money(0)), Money(3) * 2, Money(1) == Money(1))
total = Money(0)
total += Money(4)
print(total)
class Registry:
    items = []
    @classmethod
    def register(cls, x):
        cls.items.append(x)
        return cls
    @staticmethod
    def describe():
        return "a registry"
Registry.register(1).register(2)
print(Registry.items, Registry.describe(), Registry().describe())
class Point:
    __slots__ = ()
print(Point.__name__, Point.__module__)
