def work():
    try:
        raise ValueError("first")
    finally:
        print("cleanup")
        [][1]
work()
