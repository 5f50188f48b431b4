def step():
    raise RuntimeError("step failed")
try:
    step()
except RuntimeError as e:
    print("logging:", e)
    raise
