def check(x):
    if x < 0:
        err = ValueError(f"negative: {x}")
        raise err
check(-1)
