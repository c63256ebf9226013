package cli

import (
	"errors"
	"fmt"
)

// ErrAddrInUse é o "endereço em uso" do sistema (EADDRINUSE, WSAEADDRINUSE).
var ErrAddrInUse = addrInUse

// ListenError traduz o erro de bind/listen numa linha em português que diz
// ao aluno o que fazer. addrInUse e companhia vêm de errors_unix.go ou
// errors_windows.go, porque o Windows numera esses erros de outro jeito.
func ListenError(err error, host string, port int) string {
	switch {
	case errors.Is(err, addrInUse):
		return fmt.Sprintf("Erro: Porta em uso (%s:%d). Espere um pouco ou mude a porta (-port).", host, port)
	case errors.Is(err, accessDenied):
		return fmt.Sprintf("Erro: permissão negada para escutar em %s:%d (portas abaixo de 1024 exigem privilégio).", host, port)
	case errors.Is(err, addrNotAvail):
		return fmt.Sprintf("Erro: o endereço %s não pertence a esta máquina.", host)
	}
	return fmt.Sprintf("Erro ao escutar em %s:%d: %v", host, port, err)
}

// CheckListen termina o programa (código 1) com a linha de ListenError se
// err não for nil: a exceção não tratada do Python num socket, bind ou
// listen que falhou.
func CheckListen(err error, host string, port int) {
	if err != nil {
		Fatal(ListenError(err, host, port))
	}
}
