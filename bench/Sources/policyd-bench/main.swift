import PolicyLanguage

print("policyd-bench: no benchmarks yet")
