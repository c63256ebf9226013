//go:build windows

package loadclient

import "syscall"

// No Windows os erros de socket são os códigos WSAE*, que não casam com
// syscall.ECONNREFUSED (no Windows essa constante é inventada pelo Go e
// nunca vem do sistema). WSAECONNREFUSED (10061) é o "WinError 10061" que o
// Python mostra; o pacote syscall não o define, por isso o número aqui.
var (
	refusedErrs = []error{syscall.Errno(10061)} // WSAECONNREFUSED
	resetErrs   = []error{syscall.WSAECONNRESET, syscall.WSAECONNABORTED, syscall.Errno(232) /* ERROR_NO_DATA: pipe fechado */}
)
