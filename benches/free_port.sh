# Sourced by the benchmark scripts: `free_port` prints a port that is free on 127.0.0.1 now and
# lies below the kernel's ephemeral range (32768 and up), so that no client connection can be
# given it before, or between, the starts of the server that is to listen on it.
free_port() {
  local candidate
  for _ in $(seq 1 100); do
    candidate=$((20000 + RANDOM % 12000))
    if python3 -c "import socket; socket.socket().bind(('127.0.0.1', $candidate))" 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "no free port found between 20000 and 32000" >&2
  return 1
}
