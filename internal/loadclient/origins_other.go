//go:build !linux

package loadclient

import "syscall"

// bindNoPort só faz algo no Linux (IP_BIND_ADDRESS_NO_PORT).
func bindNoPort(network, address string, c syscall.RawConn) error { return nil }
