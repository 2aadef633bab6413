# The seed's habits: make server, make test, make benchmark.
.PHONY: build server test benchmark clean

build:
	npm run build

server: build
	node bin/mini-kv-server.js

test:
	npm test

benchmark: build
	node bin/mini-kv-benchmark.js --suite seed

clean:
	rm -rf dist
