package tracking

import "roteiro2/internal/socket"

// wakeByConnect acorda o accept bloqueado conectando à própria porta: a
// porta de origem é anotada antes do connect, e Accepted reconhece a
// conexão e devolve ErrStopped. É o despertar fora do Linux (wake_other.go).
func (s *Server) wakeByConnect(ln *socket.Sock) {
	a, err := ln.Getsockname()
	if err != nil {
		return
	}
	if a.IP == [4]byte{} { // escuta em 0.0.0.0: conecta pelo loopback
		a.IP = [4]byte{127, 0, 0, 1}
	}
	c, err := socket.Socket(socket.AF_INET, socket.SOCK_STREAM)
	if err != nil {
		return
	}
	if c.Bind(a.Host(), 0) == nil {
		if from, err := c.Getsockname(); err == nil {
			s.wakeFrom.Store(int64(from.Port))
			go func() { // o connect pode demorar: a parada não espera por ele
				defer c.CloseNow()
				c.Connect(a.Host(), a.Port)
			}()
			return
		}
	}
	c.CloseNow()
}
