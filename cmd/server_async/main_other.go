//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"fmt"
	"os"
)

// No Windows não há epoll nem kqueue (o equivalente, IOCP, tem outra forma),
// e o reactor deste projeto fala só com esses dois.
func main() {
	fmt.Fprintln(os.Stderr, "server_async precisa de Linux, macOS ou BSD (no Windows, use o WSL)")
	os.Exit(1)
}
