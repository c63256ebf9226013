package blocking

import "golang.org/x/sys/unix"

// sendFlags: MSG_NOSIGNAL faz o send a um cliente que já foi embora voltar
// com EPIPE em vez de gerar SIGPIPE.
const sendFlags = unix.MSG_NOSIGNAL

// wakeByConnect: no Linux o shutdown(SHUT_RD) basta para acordar o accept.
const wakeByConnect = false

// acceptCloexec aceita com close-on-exec numa só chamada (accept4), sem a
// flag SOCK_NONBLOCK: a conexão nasce bloqueante.
func acceptCloexec(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_CLOEXEC)
}
