//go:build unix

package socket

import "golang.org/x/sys/unix"

// Os erros do sistema que os testes provocam, com os nomes de cada sistema.
var (
	errRefused      error = unix.ECONNREFUSED
	errAddrInUse    error = unix.EADDRINUSE
	errTooManyFiles error = unix.EMFILE
	lostConnErrs          = []error{unix.EINTR, unix.ECONNABORTED, unix.EAFNOSUPPORT}
)

// bareSock é um Sock sem descritor, para testar accepted.
func bareSock(obs Observer) *Sock { return &Sock{fd: -1, Observer: obs} }

// acceptedErr é o que accepted faz com um erro do accept.
func acceptedErr(s *Sock, err error) (error, bool) {
	_, _, got, again := s.accepted(-1, nil, err)
	return got, again
}
