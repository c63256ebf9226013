//go:build !windows

package cli

import "syscall"

var (
	addrInUse    error = syscall.EADDRINUSE
	accessDenied error = syscall.EACCES
	addrNotAvail error = syscall.EADDRNOTAVAIL
)
