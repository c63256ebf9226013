// Comando clientenervoso é a tradução de clientenervoso.py: N clientes
// "nervosos" disparados ao mesmo tempo, sem pausa entre eles, que desistem
// se o servidor não os aceitar depressa (Etapas 1.2, 2.1, 3.3 e o desafio dos
// 200 clientes).
//
// A falha conhecida do original (README.md e RELATORIO.md, seção "O defeito
// do clientenervoso.py original"): ele não envia nada e usa UM prazo de 2 s
// para tudo — para entrar e para a resposta —, enquanto todo servidor do
// laboratório demora 5 s para responder (e server/server_async ainda esperam
// LER uma mensagem antes). Ao pé da letra, nenhum cliente teria sucesso
// nunca. Aqui a intenção do roteiro fica explícita: o cliente é
// nervoso para ENTRAR (-connect-timeout 2s) e, uma vez dentro, envia a sua
// tarefa e espera a resposta (-timeout 10s). -original reproduz o script
// como ele é, para o aluno ver a falha por si.
//
// Outras diferenças, todas a favor de medir direito:
//   - a resposta é lida até o servidor fechar (EOF), no máximo 1 MiB
//     (loadclient.MaxReply); com -original, um único recv(1024), como no Python;
//   - um servidor que fecha sem mandar nada é "erro" (o Python imprimiria
//     SUCESSO com a resposta vazia), e cada falha tem a sua linha: timeout
//     para entrar, timeout da resposta, recusado, resetado, outro erro;
//   - -q troca as linhas por cliente por uma linha de progresso (stderr), e
//     -origens K espalha os endereços de origem por 127.0.0.1..127.0.0.K, para
//     dezenas de milhares de clientes (cada cliente segura só um descritor);
//   - a última linha é o RESUMO, que cmd/roteiro e os testes leem.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/loadclient"
	"roteiro2/internal/summary"
	"roteiro2/internal/timeline"
)

var (
	cfg      loadclient.Config
	original bool
)

func main() {
	f := loadclient.RegisterFlags(10, 2*time.Second, 10*time.Second)
	flag.BoolVar(&original, "original", false,
		"reproduz clientenervoso.py ao pé da letra: não envia nada e usa UM prazo (o de -connect-timeout, 2s) "+
			"para o connect e para um único recv(1024); contra servidores de 5 s ninguém tem sucesso (a falha do original)")
	origins := flag.Int("origens", 1, "espalha os endereços de origem por 127.0.0.1..127.0.0.K (para dezenas de milhares de clientes)")
	f.Parse()
	if *origins < 1 || *origins > 254 {
		cli.Usage(fmt.Sprintf("-origens %d fora do intervalo 1–254", *origins))
	}
	if original && loadclient.Set("timeout") {
		cli.Usage("-original usa um prazo só (o de -connect-timeout, como o settimeout(2) do original); não combine com -timeout")
	}
	if *origins > 1 {
		if a, _ := cli.ParseIPv4(f.Host); !a.IsLoopback() {
			cli.Usage("-origens só vale para um servidor no loopback")
		}
		if err := loadclient.CheckOrigins(*origins); err != nil {
			cli.Fatal(err.Error())
		}
	}

	cfg = loadclient.Config{
		Addr:           f.Addr(),
		ConnectTimeout: f.ConnectTimeout,
		ReplyTimeout:   f.ReplyTimeout,
		Origins:        *origins,
		IDWidth:        max(2, len(strconv.Itoa(f.N))), // [CLIENTE 07]
		Quiet:          f.Quiet,
		Out:            os.Stdout,
	}
	mode := "padrão (envia a tarefa; prazos separados)"
	if original {
		// settimeout(2): o mesmo prazo vale para cada operação bloqueante.
		cfg.ReplyTimeout = f.ConnectTimeout
		cfg.OneRead = true
		mode = fmt.Sprintf("-original (nada enviado; settimeout(%v) no connect e no recv)", f.ConnectTimeout)
	}
	if f.Quiet {
		cfg.Progress = os.Stderr
	}
	if lim := loadclient.FDLimit(); lim > 0 && f.N+32 > lim {
		fmt.Fprintf(os.Stderr, "aviso: -n %d passa perto do limite de descritores deste processo (%d); "+
			"os excedentes falharão com \"too many open files\" (ulimit -n)\n", f.N, lim)
	}

	fmt.Printf("--- INICIANDO ATAQUE DE %d CLIENTES SIMULTÂNEOS ---\n", f.N)
	if original {
		fmt.Printf("[MODO ORIGINAL] nada é enviado; um prazo de %v vale para o connect e para o recv(1024)\n", f.ConnectTimeout)
	}

	// Uma goroutine por cliente, criadas sem pausa; todas esperam a largada
	// comum e partem juntas (como as threads do original, que partem quase
	// juntas).
	run := loadclient.New(cfg, f.N)
	for i := 1; i <= f.N; i++ {
		run.Go(i, clienteNervoso)
	}
	run.Start()
	results := run.Wait()

	exit := 0
	if f.SVG != "" {
		sc := timeline.Scenario{Program: "clientenervoso", Addr: cfg.Addr,
			ConnectTimeout: cfg.ConnectTimeout, ReplyTimeout: cfg.ReplyTimeout, Mode: mode}
		if err := loadclient.WriteSVG(f.SVG, sc, results); err != nil {
			fmt.Fprintf(os.Stderr, "clientenervoso: não consegui gravar a linha do tempo: %v\n", err)
			exit = cli.ExitRuntime
		} else {
			fmt.Printf("[LINHA DO TEMPO] %s\n", f.SVG)
		}
	}
	// A última linha: o RESUMO, que cmd/roteiro e os testes leem.
	fmt.Println(loadclient.Resumo(results))
	os.Exit(exit)
}

// clienteNervoso é o que cada thread do original faz.
func clienteNervoso(c *loadclient.Client) {
	c.Logf("🟡 Tentando entrar...")
	// connect(): o kernel do servidor completa o handshake sozinho e põe a
	// conexão na fila de accept(); se a fila está cheia, o Linux descarta o
	// SYN em silêncio e o connect() só termina pelo prazo.
	conn, err := c.Dial()
	if err != nil {
		relatarFalha(c, err)
		return
	}
	// Em Go o fechamento vai num defer: roda em qualquer caminho de saída,
	// como o finally: s.close() do original.
	defer conn.Close()
	c.Logf("🟢 Conectou! Esperando resposta...")

	if !original {
		// O original não envia nada; server e server_async esperam LER uma
		// mensagem antes de responder. Aqui o cliente envia a sua tarefa.
		if err := c.Send(conn, fmt.Appendf(nil, "Tarefa do Cliente %d", c.ID)); err != nil {
			relatarFalha(c, err)
			return
		}
	}
	reply, err := c.ReadReply(conn)
	if err != nil {
		relatarFalha(c, err)
		return
	}
	c.Logf("🏆 SUCESSO: %s", reply)
}

// relatarFalha registra o desfecho e imprime a linha do except
// correspondente do original, com a causa verdadeira.
func relatarFalha(c *loadclient.Client, err error) {
	switch c.Fail(err) {
	case summary.ConnectTimeout:
		c.Logf("⏱️ TIMEOUT: O servidor demorou demais para aceitar! (connect sem resposta em %v)", cfg.ConnectTimeout)
	case summary.ReplyTimeout:
		if p, ok := errors.AsType[*loadclient.Partial](err); ok {
			c.Logf("⏱️ TIMEOUT: entrou, recebeu %d bytes, mas a resposta não terminou em %v", p.Got, cfg.ReplyTimeout)
		} else {
			c.Logf("⏱️ TIMEOUT: entrou, mas a resposta não chegou em %v", cfg.ReplyTimeout)
		}
	case summary.Refused:
		c.Logf("⛔ RECUSADO: %s", refusedText(runtime.GOOS, cfg.Addr))
	case summary.Reset:
		c.Logf("💥 RESETADO: %s", loadclient.ResetText(err, !original))
	default:
		c.Logf("❌ ERRO: %v", err)
	}
}

// refusedText: o original diz "A fila estava cheia!", o que só é verdade em
// alguns sistemas (docs/fila-do-kernel.md). Com a fila de accept cheia, o
// Linux e o macOS descartam o SYN em silêncio (o cliente vê TIMEOUT); o
// FreeBSD, pelo syncache, costuma deixar o connect() dar certo e resetar a
// conexão em seguida (RESETADO); o Windows recusa. Fora do Windows, então,
// a recusa quer dizer que ninguém escuta na porta.
func refusedText(goos, addr string) string {
	nobody := fmt.Sprintf("ninguém escuta em %s (servidor parado ou porta errada).", addr)
	switch goos {
	case "linux", "android":
		return nobody + " Não é \"fila cheia\": no Linux a fila cheia dá TIMEOUT."
	case "darwin", "ios":
		return nobody + " Não é \"fila cheia\": no macOS a fila cheia descarta o SYN e dá TIMEOUT."
	case "freebsd":
		return nobody + " Dificilmente é \"fila cheia\": no FreeBSD a fila cheia costuma aparecer como " +
			"conexão feita e depois RESETADO (o syncache responde ao SYN e reseta no ACK final), ou como TIMEOUT."
	case "windows":
		return fmt.Sprintf("A fila estava cheia! (no Windows a fila de accept cheia responde RST e o connect é recusado) "+
			"— ou ninguém escuta em %s.", addr)
	}
	return nobody + " Em alguns sistemas, também a fila de accept cheia."
}
