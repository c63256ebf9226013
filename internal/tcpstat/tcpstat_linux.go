package tcpstat

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

const tcpListen = 10 // TCP_LISTEN em include/net/tcp_states.h

// ListenQueue devolve Recv-Q e Send-Q do socket TCP/IPv4 em LISTEN na porta
// port (endereço 127.x.x.x ou 0.0.0.0), os mesmos números de `ss -ltn`.
// Pergunta ao kernel por netlink (NETLINK_SOCK_DIAG, inet_diag): para um
// socket LISTEN, idiag_rqueue é sk_ack_backlog e idiag_wqueue é
// sk_max_ack_backlog. Se o netlink falhar, lê /proc/net/tcp, que só traz o
// RecvQ (SendQ = -1).
func ListenQueue(port int) (Queue, error) {
	q, err := diagListenQueue(port)
	if err == nil || errors.Is(err, errNotFound) {
		return q, err
	}
	q, err2 := procListenQueue(port)
	if err2 != nil {
		return q, fmt.Errorf("%w; %w", err, err2)
	}
	return q, nil
}

var errNotFound = errors.New("nenhum socket LISTEN nessa porta")

func notFound(port int) error {
	return fmt.Errorf("tcpstat: porta %d: %w (em 127.x.x.x ou 0.0.0.0, IPv4)", port, errNotFound)
}

// listenAddr diz se o endereço local (4 bytes, ordem de rede) é o que
// procuramos: loopback ou "qualquer endereço".
func listenAddr(a []byte) bool { return a[0] == 127 || (a[0]|a[1]|a[2]|a[3]) == 0 }

// diagListenQueue pede ao kernel todos os sockets TCP/IPv4 em LISTEN
// (SOCK_DIAG_BY_FAMILY com NLM_F_DUMP) e procura o da porta.
func diagListenQueue(port int) (Queue, error) {
	none := Queue{RecvQ: -1, SendQ: -1}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return none, fmt.Errorf("tcpstat: socket netlink: %w", err)
	}
	defer unix.Close(fd)
	// Uma resposta que não chega não pode travar quem chamou.
	tv := unix.Timeval{Sec: 2}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return none, fmt.Errorf("tcpstat: SO_RCVTIMEO: %w", err)
	}
	// nlmsghdr (16 bytes) + inet_diag_req_v2 (56 bytes), na ordem de bytes
	// da máquina; o inet_diag_sockid fica zerado (o dump não filtra por ele).
	ne := binary.NativeEndian
	req := make([]byte, unix.SizeofNlMsghdr+56)
	ne.PutUint32(req[0:], uint32(len(req)))                   // nlmsg_len
	ne.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)           // nlmsg_type
	ne.PutUint16(req[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP) // nlmsg_flags
	ne.PutUint32(req[8:], 1)                                  // nlmsg_seq
	req[16] = unix.AF_INET                                    // sdiag_family
	req[17] = unix.IPPROTO_TCP                                // sdiag_protocol
	ne.PutUint32(req[20:], 1<<tcpListen)                      // idiag_states
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return none, fmt.Errorf("tcpstat: sendto netlink: %w", err)
	}
	found := none
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			return none, fmt.Errorf("tcpstat: recvfrom netlink: %w", err)
		}
		for b := buf[:n]; len(b) >= unix.SizeofNlMsghdr; {
			l := int(ne.Uint32(b[0:]))
			if l < unix.SizeofNlMsghdr || l > len(b) {
				return none, errors.New("tcpstat: resposta netlink malformada")
			}
			msg := b[unix.SizeofNlMsghdr:l]
			switch ne.Uint16(b[4:]) {
			case unix.NLMSG_DONE:
				if found.SendQ < 0 {
					return none, notFound(port)
				}
				return found, nil
			case unix.NLMSG_ERROR:
				if len(msg) >= 4 {
					if e := int32(ne.Uint32(msg)); e < 0 {
						return none, fmt.Errorf("tcpstat: netlink: %w", unix.Errno(-e))
					}
				}
			case unix.SOCK_DIAG_BY_FAMILY:
				// inet_diag_msg: family, state, timer, retrans (1 byte
				// cada); inet_diag_sockid em 4 (sport big-endian em 4, src
				// em 8); idiag_rqueue em 56 e idiag_wqueue em 60.
				if len(msg) >= 72 && msg[1] == tcpListen && found.SendQ < 0 &&
					int(binary.BigEndian.Uint16(msg[4:])) == port && listenAddr(msg[8:12]) {
					found = Queue{RecvQ: int(ne.Uint32(msg[56:])), SendQ: int(ne.Uint32(msg[60:]))}
				}
			}
			b = b[min(len(b), (l+unix.NLMSG_ALIGNTO-1)&^(unix.NLMSG_ALIGNTO-1)):]
		}
	}
}

// procListenQueue lê /proc/net/tcp: linhas "sl local rem st tx:rx ...",
// endereços em hexadecimal; para um socket LISTEN (st 0A), rx_queue é
// sk_ack_backlog. O limite da fila não aparece ali.
func procListenQueue(port int) (Queue, error) {
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return Queue{RecvQ: -1, SendQ: -1}, fmt.Errorf("tcpstat: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 5 || f[3] != "0A" {
			continue
		}
		addr, portHex, _ := strings.Cut(f[1], ":")
		a, err1 := strconv.ParseUint(addr, 16, 32)
		p, err2 := strconv.ParseUint(portHex, 16, 16)
		_, rxHex, _ := strings.Cut(f[4], ":")
		rx, err3 := strconv.ParseUint(rxHex, 16, 32)
		if err1 != nil || err2 != nil || err3 != nil || int(p) != port {
			continue
		}
		// O kernel imprime o endereço (ordem de rede) como um inteiro da
		// máquina: voltar aos bytes com a ordem nativa.
		var ab [4]byte
		binary.NativeEndian.PutUint32(ab[:], uint32(a))
		if listenAddr(ab[:]) {
			return Queue{RecvQ: int(rx), SendQ: -1}, nil
		}
	}
	return Queue{RecvQ: -1, SendQ: -1}, notFound(port)
}

const tcpTimeWait = 6 // TCP_TIME_WAIT em include/net/tcp_states.h

// TimeWait conta as conexões TCP/IPv4 em TIME_WAIT cuja porta local é
// port: as que o servidor dessa porta fechou primeiro, e que por até 60 s
// impedem um bind sem SO_REUSEADDR nela (o que ss -tan state time-wait
// mostra). Lê /proc/net/tcp.
func TimeWait(port int) (int, error) {
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return -1, fmt.Errorf("tcpstat: %w", err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		_, portHex, _ := strings.Cut(f[1], ":")
		p, err1 := strconv.ParseUint(portHex, 16, 16)
		st, err2 := strconv.ParseUint(f[3], 16, 8)
		if err1 == nil && err2 == nil && int(p) == port && st == tcpTimeWait {
			n++
		}
	}
	return n, nil
}

// ReadCounters lê ListenOverflows, ListenDrops, TCPReqQFullDrop e
// TCPReqQFullDoCookies de /proc/net/netstat (linha TcpExt) e OutRsts e AttemptFails de
// /proc/net/snmp (linha Tcp) — os mesmos números de `nstat -az`.
func ReadCounters() (Counters, error) {
	v := map[string]int64{}
	for _, name := range []string{"/proc/net/netstat", "/proc/net/snmp"} {
		data, err := os.ReadFile(name)
		if err != nil {
			return unknown, fmt.Errorf("tcpstat: %w", err)
		}
		parsePairs(string(data), v)
	}
	get := func(k string) int64 {
		if n, ok := v[k]; ok {
			return n
		}
		return -1
	}
	return Counters{
		ListenOverflows:      get("TcpExt.ListenOverflows"),
		ListenDrops:          get("TcpExt.ListenDrops"),
		TCPReqQFullDrop:      get("TcpExt.TCPReqQFullDrop"),
		TCPReqQFullDoCookies: get("TcpExt.TCPReqQFullDoCookies"),
		OutRsts:              get("Tcp.OutRsts"),
		AttemptFails:         get("Tcp.AttemptFails"),
	}, nil
}

// parsePairs lê o formato de /proc/net/netstat e /proc/net/snmp: uma linha
// "Prefixo: nome1 nome2 ..." seguida de "Prefixo: valor1 valor2 ...".
// Guarda "Prefixo.nome" → valor em v.
func parsePairs(data string, v map[string]int64) {
	lines := strings.Split(data, "\n")
	for i := 0; i+1 < len(lines); i++ {
		names, values := strings.Fields(lines[i]), strings.Fields(lines[i+1])
		if len(names) < 2 || len(names) != len(values) || names[0] != values[0] {
			continue
		}
		prefix := strings.TrimSuffix(names[0], ":")
		for j := 1; j < len(names); j++ {
			if n, err := strconv.ParseInt(values[j], 10, 64); err == nil {
				v[prefix+"."+names[j]] = n
			}
		}
		i++ // o par já foi lido
	}
}
