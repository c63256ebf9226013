// Package socket é o módulo socket do Python, do tamanho que o laboratório
// usa: um socket TCP/IPv4 com os métodos dos scripts, cada um uma chamada do
// sistema feita aqui mesmo, na thread de quem chama.
//
//	Python                                  Go (este pacote)
//	s = socket.socket(AF_INET, SOCK_STREAM)  s, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
//	s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) s.Setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
//	s.bind((HOST, PORT))                    s.Bind(HOST, PORT)
//	s.listen(1)                             s.Listen(1)
//	conn, addr = s.accept()                 conn, addr, err := s.Accept()
//	msg = conn.recv(1024)                   msg, err := conn.Recv(1024)
//	time.sleep(5)                           socket.Sleep(5 * time.Second)
//	conn.send(resposta)                     n, err := conn.Send(resposta)
//	conn.sendall(resposta)                  err := conn.SendAll(resposta)
//	conn.close()                            conn.Close()
//	client.settimeout(2)                    client.SetTimeout(2 * time.Second)
//	client.connect((HOST, PORT))            client.Connect(HOST, PORT)
//
// Sem SetTimeout, o socket é bloqueante como o do Python: a thread que chama
// accept, recv ou send dorme DENTRO da chamada, no kernel, até ela terminar.
// No Linux, `cat /proc/PID/task/*/wchan` mostra onde: inet_csk_accept no
// accept, wait_woken no recv, hrtimer_nanosleep no Sleep. É isso que o modelo
// thread do server mostra, e o que um net.Conn do Go não faz (a goroutine
// espera no netpoller do runtime e a thread vai fazer outra coisa).
//
// Os erros são valores, não exceções: cada método devolve o erro do sistema
// embrulhado com o nome da chamada ("recv: connection reset by peer").
//
// O que o porte acrescenta aos passos do .py (a conta do resumo, a parada
// com Ctrl-C, o fechamento com espera) não mora aqui: Observer deixa o pacote
// internal/tracking ser avisado de accept e close sem aparecer no main.go.
package socket

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"time"
)

// Addr é o endereço de uma ponta, impresso como o Python imprime a tupla de
// accept() e getpeername(): ('127.0.0.1', 54321).
type Addr struct {
	IP   [4]byte
	Port int
}

func (a Addr) String() string {
	return "('" + netip.AddrFrom4(a.IP).String() + "', " + strconv.Itoa(a.Port) + ")"
}

// Host é só o IP, "127.0.0.1".
func (a Addr) Host() string { return netip.AddrFrom4(a.IP).String() }

// HostPort é o endereço como "127.0.0.1:65432" (a linha de início dos servidores).
func (a Addr) HostPort() string {
	return netip.AddrPortFrom(netip.AddrFrom4(a.IP), uint16(a.Port)).String()
}

// Observer é avisado de accept e close de um socket de escuta e das
// conexões que ele aceitou. É o gancho do que o porte acrescenta em volta dos
// passos do .py (internal/tracking): o main.go continua com os passos do
// original, e Accept e Close chamam o Observer se houver um.
type Observer interface {
	// Accepted: uma conexão nova. Um erro diferente de nil (o servidor está
	// parando) faz Accept fechar conn e devolver esse erro.
	Accepted(conn *Sock, addr Addr) error
	// AcceptFailed: accept(2) falhou (por exemplo EMFILE). nil: Accept tenta
	// de novo; um erro: Accept o devolve.
	AcceptFailed(err error) error
	// Closing: conn vai ser fechada (antes do close(2)). Devolve true se já
	// a fechou (o fechamento com espera depois de uma resposta).
	Closing(conn *Sock) bool
}

// Error é o erro de uma chamada: Op é o nome dela ("connect", "recv").
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Err: err}
}

// ErrTimeout é o socket.timeout do Python: o prazo de SetTimeout ou de
// SetRecvTimeout venceu. errors.Is(err, os.ErrDeadlineExceeded) também o
// reconhece, e ele diz Timeout() == true, como os erros do pacote net.
var ErrTimeout error = timeoutError{}

// TimeoutAfter é ErrTimeout dizendo o prazo: "prazo esgotado (300ms)".
func TimeoutAfter(d time.Duration) error { return timeoutError{d} }

// timeoutError é ErrTimeout, com o prazo que venceu (se conhecido).
type timeoutError struct{ after time.Duration }

func (e timeoutError) Error() string {
	if e.after > 0 {
		return fmt.Sprintf("prazo esgotado (%v)", e.after)
	}
	return "prazo esgotado"
}
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Is(target error) bool {
	return target == os.ErrDeadlineExceeded || target == ErrTimeout
}

// IsTimeout diz se err é um prazo vencido (Python: socket.timeout).
func IsTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// ParseIPv4 aceita um IPv4 ou "localhost" (os scripts usam AF_INET).
func ParseIPv4(host string) ([4]byte, error) {
	if host == "localhost" {
		return [4]byte{127, 0, 0, 1}, nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil || !a.Is4() {
		return [4]byte{}, fmt.Errorf("endereço %q inválido: use um IPv4 como 127.0.0.1", host)
	}
	return a.As4(), nil
}

// deadline é o instante em que um prazo de d vence (zero: sem prazo).
func deadline(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// CreateServer é o socket.create_server((host, port), backlog=backlog) do
// Python: socket, SO_REUSEADDR (ReuseAddr), bind e listen(backlog), com o
// backlog exato.
// Devolve o socket e a porta em que ele escuta (com a porta 0, a que o
// kernel escolheu). Os main.go fazem esses passos um a um, como os .py;
// quem só precisa de um socket de escuta (o laço de eventos, o modelo
// goroutine, os testes) usa este.
func CreateServer(host string, port, backlog int) (*Sock, int, error) {
	s, err := Socket(AF_INET, SOCK_STREAM)
	if err != nil {
		return nil, 0, err
	}
	if err = s.ReuseAddr(); err == nil {
		err = s.Bind(host, port)
	}
	if err == nil {
		err = s.Listen(backlog)
	}
	var a Addr
	if err == nil {
		a, err = s.Getsockname()
	}
	if err != nil {
		s.Close()
		return nil, 0, err
	}
	return s, a.Port, nil
}
