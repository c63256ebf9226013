//go:build !windows

package wine

// Detected: fora do Windows não há Wine a detectar (o Wine roda programas
// do Windows; um programa do Linux é sempre do Linux).
func Detected() bool { return false }
