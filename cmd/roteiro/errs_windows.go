//go:build windows

package main

import (
	"errors"
	"syscall"
)

// WSAECONNREFUSED (10061) e WSAECONNRESET (10054).
func isRefused(err error) bool { return errors.Is(err, syscall.Errno(10061)) }
func isReset(err error) bool   { return errors.Is(err, syscall.Errno(10054)) }
