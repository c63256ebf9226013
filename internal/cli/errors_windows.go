//go:build windows

package cli

import "golang.org/x/sys/windows"

var (
	addrInUse    error = windows.WSAEADDRINUSE
	accessDenied error = windows.WSAEACCES
	addrNotAvail error = windows.WSAEADDRNOTAVAIL
)
