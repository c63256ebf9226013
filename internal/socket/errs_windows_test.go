package socket

import "golang.org/x/sys/windows"

// Os erros do sistema que os testes provocam, com os nomes do Winsock.
var (
	errRefused      error = windows.WSAECONNREFUSED
	errAddrInUse    error = windows.WSAEADDRINUSE
	errTooManyFiles error = windows.WSAEMFILE
	lostConnErrs          = []error{windows.WSAEINTR, windows.WSAECONNRESET, windows.WSAECONNABORTED}
)

// bareSock é um Sock sem descritor, para testar accepted.
func bareSock(obs Observer) *Sock { return &Sock{fd: windows.InvalidHandle, Observer: obs} }

// acceptedErr é o que accepted faz com um erro do accept.
func acceptedErr(s *Sock, err error) (error, bool) {
	_, _, got, again := s.accepted(windows.InvalidHandle, nil, err)
	return got, again
}
