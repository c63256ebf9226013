//go:build !unix

package loadclient

// FDLimit: no Windows não há RLIMIT_NOFILE; -1 = desconhecido.
func FDLimit() int { return -1 }
