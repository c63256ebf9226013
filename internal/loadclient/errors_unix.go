//go:build !windows

package loadclient

import "syscall"

// Erros do sistema que viram Refused e Reset (veja Classify).
var (
	refusedErrs = []error{syscall.ECONNREFUSED}
	resetErrs   = []error{syscall.ECONNRESET, syscall.EPIPE, syscall.ECONNABORTED}
)
