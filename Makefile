# The seed's habits: make server, make test, make benchmark.
.PHONY: build server test benchmark clean

build:
	npm run build

server: build
	node bin/mini-kv-server.js

test:
	npm test

# Starts mini-kv (and redis-server when installed) on free ports and runs the seed's two tables.
benchmark: build
	bench/seed-compare.sh

clean:
	rm -rf dist
