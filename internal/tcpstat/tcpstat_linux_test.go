package tcpstat

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/socket"
)

// fill abre um listener com o backlog pedido (que nunca chama accept) e
// conecta n clientes, um de cada vez, com timeout de 500 ms (folga para uma
// máquina ocupada: quem tem lugar na fila conecta em microssegundos; o
// prazo só é gasto pelos que ficam de fora). Devolve a porta e quantos
// conectaram e quantos expiraram.
func fill(t *testing.T, backlog, n int) (port, connected, timedOut int) {
	t.Helper()
	ln, port, err := socket.CreateServer("127.0.0.1", 0, backlog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for range n {
		c, err := net.DialTimeout("tcp4", addr, 500*time.Millisecond)
		var ne net.Error
		switch {
		case err == nil:
			connected++
			t.Cleanup(func() { c.Close() })
		case errors.As(err, &ne) && ne.Timeout():
			timedOut++
		case errors.Is(err, syscall.ECONNREFUSED):
			t.Fatalf("backlog %d: recusada; o Linux descarta o SYN em silêncio, não recusa", backlog)
		default:
			t.Fatalf("backlog %d: %v", backlog, err)
		}
	}
	return port, connected, timedOut
}

// waitRecvQ espera (5 s no máximo) o Recv-Q da porta chegar a want. O
// connect() do cliente volta antes de o kernel do servidor processar o ACK
// final, então a fila pode estar um instante atrás do que o cliente viu.
func waitRecvQ(t *testing.T, port, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		q, err := ListenQueue(port)
		if err != nil {
			t.Fatal(err)
		}
		if q.RecvQ >= want || time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// TestFullAcceptQueue: com backlog b e ninguém chamando accept, a fila
// guarda b+1 conexões (Recv-Q), o limite é b (Send-Q), e cada connect que
// expirou teve ao menos um SYN descartado (ListenOverflows, ListenDrops).
// Recv-Q pode passar de b+1 numa corrida entre CPUs (até b + CPUs: veja o
// comentário de Queue.RecvQ); com clientes um de cada vez ela é rara, mas
// o teste não a proíbe.
func TestFullAcceptQueue(t *testing.T) {
	t.Parallel()
	for _, b := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("backlog=%d", b), func(t *testing.T) {
			t.Parallel()
			before, err := ReadCounters()
			if err != nil {
				t.Fatal(err)
			}
			port, connected, timedOut := fill(t, b, b+3)
			waitRecvQ(t, port, b+1)
			after, err := ReadCounters()
			if err != nil {
				t.Fatal(err)
			}
			q, err := ListenQueue(port)
			if err != nil {
				t.Fatal(err)
			}
			d := after.Sub(before)
			t.Logf("backlog %d: conectaram %d, expiraram %d; Recv-Q=%d Send-Q=%d; delta %+v",
				b, connected, timedOut, q.RecvQ, q.SendQ, d)
			if most := b + max(runtime.NumCPU(), 1); q.SendQ != b || q.RecvQ < b+1 || q.RecvQ > most {
				t.Errorf("ListenQueue = %+v; esperava SendQ=%d e RecvQ entre %d e %d", q, b, b+1, most)
			}
			if connected < b+1 || timedOut < 1 {
				t.Errorf("conectaram %d e expiraram %d de %d; esperava ≥%d e ≥1", connected, timedOut, b+3, b+1)
			}
			// Os contadores valem para o namespace inteiro: outros testes
			// só podem aumentá-los, então "≥" é seguro; "==" não seria.
			if d.ListenOverflows < int64(timedOut) || d.ListenDrops < int64(timedOut) {
				t.Errorf("ListenOverflows +%d, ListenDrops +%d; esperava ≥ %d (um SYN descartado por connect expirado)",
					d.ListenOverflows, d.ListenDrops, timedOut)
			}
		})
	}
}

// TestProcFallbackAgrees: /proc/net/tcp dá o mesmo Recv-Q que o netlink.
func TestProcFallbackAgrees(t *testing.T) {
	t.Parallel()
	port, connected, _ := fill(t, 1, 2)
	waitRecvQ(t, port, connected)
	q, err := procListenQueue(port)
	if err != nil {
		t.Fatal(err)
	}
	d, err := diagListenQueue(port)
	if err != nil {
		t.Fatal(err)
	}
	if q.RecvQ != connected || d.RecvQ != connected || q.SendQ != -1 || d.SendQ != 1 {
		t.Errorf("/proc/net/tcp %+v, netlink %+v; esperava RecvQ=%d e SendQ -1 / 1", q, d, connected)
	}
}

// TestGoListenUsesSomaxconn: o net.Listen do Go ignora o backlog do
// roteiro e passa net.core.somaxconn a listen(2); por isso o laboratório
// usa internal/sock.
func TestGoListenUsesSomaxconn(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err != nil {
		t.Skip(err)
	}
	somaxconn, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	q, err := ListenQueue(ln.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("net.Listen: Recv-Q=%d Send-Q=%d (somaxconn=%d)", q.RecvQ, q.SendQ, somaxconn)
	if q.SendQ != somaxconn || q.RecvQ != 0 {
		t.Errorf("ListenQueue = %+v; esperava RecvQ=0 SendQ=%d", q, somaxconn)
	}
}

func TestWatch(t *testing.T) {
	t.Parallel()
	ln, port, err := socket.CreateServer("127.0.0.1", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	w := Watch(port, 5*time.Millisecond)
	for range 2 {
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	// Stop faz uma última amostra: o pico inclui as duas conexões.
	waitRecvQ(t, port, 2)
	if q := w.Stop(); q != (Queue{RecvQ: 2, SendQ: 1}) || w.Err() != nil {
		t.Errorf("pico %+v, erro %v; esperava {RecvQ:2 SendQ:1}", q, w.Err())
	}
	if q := w.Stop(); q.RecvQ != 2 {
		t.Errorf("segundo Stop deu %+v", q)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	if _, err := ListenQueue(0); !errors.Is(err, errNotFound) {
		t.Errorf("porta 0: erro %v; esperava errNotFound", err)
	}
	w := Watch(0, time.Millisecond)
	if q := w.Stop(); q != (Queue{-1, -1}) || w.Err() == nil {
		t.Errorf("Watch(0): pico %+v, erro %v; esperava {-1 -1} e um erro", q, w.Err())
	}
}

func TestParsePairs(t *testing.T) {
	t.Parallel()
	v := map[string]int64{}
	parsePairs("TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 0 7 9\n"+
		"IpExt: InNoRoutes\nIpExt: 3\nTcp: RtoAlgorithm MaxConn OutRsts\nTcp: 1 -1 42\n", v)
	want := map[string]int64{"TcpExt.SyncookiesSent": 0, "TcpExt.ListenOverflows": 7,
		"TcpExt.ListenDrops": 9, "IpExt.InNoRoutes": 3, "Tcp.RtoAlgorithm": 1, "Tcp.MaxConn": -1, "Tcp.OutRsts": 42}
	if fmt.Sprint(v) != fmt.Sprint(want) {
		t.Errorf("parsePairs = %v; esperava %v", v, want)
	}
	c, err := ReadCounters()
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenOverflows < 0 || c.ListenDrops < 0 || c.TCPReqQFullDoCookies < 0 || c.OutRsts < 0 || c.AttemptFails < 0 {
		t.Errorf("contador ausente: %+v", c)
	}
	if d := c.Sub(Counters{1, 1, 1, 1, 1, -1}); d.AttemptFails != -1 || d.ListenDrops != c.ListenDrops-1 {
		t.Errorf("Sub = %+v", d)
	}
}
