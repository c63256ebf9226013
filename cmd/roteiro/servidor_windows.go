//go:build windows

package main

import "syscall"

// noReuseAddr: no Windows o Go não liga SO_REUSEADDR (lá ele quer dizer
// outra coisa) e TIME_WAIT não impede outro servidor de escutar.
func noReuseAddr(_, _ string, _ syscall.RawConn) error { return nil }
