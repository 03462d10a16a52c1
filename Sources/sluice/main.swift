import SluicePipelines
print("sluice")
