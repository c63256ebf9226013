//go:build linux || freebsd || dragonfly

package reactor

import "golang.org/x/sys/unix"

// accept aceita uma conexão já não bloqueante e close-on-exec numa só
// chamada (accept4), sem janela em que um fork herdaria o descritor.
func accept(lfd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
