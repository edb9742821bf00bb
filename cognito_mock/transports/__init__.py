"""Ways into the fake: the JSON 1.1 codec, Python-native values, botocore interception, HTTP."""
