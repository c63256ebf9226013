package main

// O que o porte acrescenta ao clientenervoso.py, fora dos passos dele.
//
// O defeito do original (README.md, "O defeito do cliente nervoso
// original"): ele não envia nada e usa UM prazo de 2 s para tudo, para
// entrar e para a resposta, enquanto todo servidor do laboratório demora 5 s
// para responder (e server/server_async ainda esperam LER uma mensagem).
// Aqui o cliente é nervoso para ENTRAR (-connect-timeout 2s) e, uma vez
// dentro, envia a sua tarefa e espera a resposta (-timeout 10s).
// -original reproduz o script como ele é, para o aluno ver a falha.
//
// E, para medir direito: a resposta é lida até o servidor fechar (um FIN,
// não um RST, diz que ela veio inteira); um servidor que fecha sem mandar
// nada é erro (o Python imprimiria SUCESSO com a resposta vazia); cada falha
// tem a sua linha; a última linha é o RESUMO, que cmd/roteiro e os testes
// leem; -q troca as linhas por cliente por uma linha de progresso (stderr);
// -origens espalha os endereços de origem para dezenas de milhares de
// clientes; -svg grava a linha do tempo.

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"roteiro2/internal/cli"
	"roteiro2/internal/loadclient"
	"roteiro2/internal/socket"
	"roteiro2/internal/summary"
	"roteiro2/internal/timeline"
)

var (
	N                = 10               // range(1, 11): -n
	TIMEOUT_RESPOSTA = 10 * time.Second // -timeout: o prazo da resposta, depois de entrar
	ORIGINAL         bool               // -original: nada enviado, um prazo só
	ORIGENS          = 1                // -origens
	SVG              string             // -svg
	clientes         *loadclient.Run
)

func opcoes() {
	f := loadclient.RegisterFlags(N, TIMEOUT, TIMEOUT_RESPOSTA)
	flag.BoolVar(&ORIGINAL, "original", false,
		"reproduz clientenervoso.py ao pé da letra: não envia nada e usa UM prazo (o de -connect-timeout, 2s) "+
			"para o connect e para um único recv(1024); contra servidores de 5 s ninguém tem sucesso (a falha do original)")
	flag.IntVar(&ORIGENS, "origens", 1, "espalha os endereços de origem por 127.0.0.1..127.0.0.K (para dezenas de milhares de clientes)")
	f.Parse()
	if ORIGENS < 1 || ORIGENS > 254 {
		cli.Usage(fmt.Sprintf("-origens %d fora do intervalo 1–254", ORIGENS))
	}
	if ORIGINAL && loadclient.Set("timeout") {
		cli.Usage("-original usa um prazo só (o de -connect-timeout, como o settimeout(2) do original); não combine com -timeout")
	}
	if ORIGENS > 1 {
		if a, _ := cli.ParseIPv4(f.Host); !a.IsLoopback() {
			cli.Usage("-origens só vale para um servidor no loopback")
		}
		if err := loadclient.CheckOrigins(ORIGENS); err != nil {
			cli.Fatal(err.Error())
		}
	}
	HOST, PORT, N, TIMEOUT, TIMEOUT_RESPOSTA, SVG = f.Host, f.Port, f.N, f.ConnectTimeout, f.ReplyTimeout, f.SVG
	cfg := loadclient.Config{Quiet: f.Quiet, Out: os.Stdout}
	if f.Quiet {
		cfg.Progress = os.Stderr
	}
	if lim := loadclient.FDLimit(); lim > 0 && N+32 > lim {
		fmt.Fprintf(os.Stderr, "aviso: -n %d passa perto do limite de descritores deste processo (%d); "+
			"os excedentes falharão com \"too many open files\" (ulimit -n)\n", N, lim)
	}
	if ORIGINAL {
		fmt.Printf("[MODO ORIGINAL] nada é enviado; um prazo de %v vale para o connect e para o recv(1024)\n", TIMEOUT)
	}
	clientes = loadclient.New(cfg, N)
}

// imprimir é o print do .py para as linhas de cada cliente (nada com -q).
func imprimir(format string, args ...any) { clientes.Printf(format, args...) }

// origem: com -origens K, o cliente sai de 127.0.0.(id mod K + 1).
func origem(client *socket.Sock, idCliente int) error {
	return loadclient.BindOrigin(client, idCliente, ORIGENS)
}

// entrou anota a hora em que o connect deu certo, para a linha do tempo.
func entrou(idCliente int) { clientes.Entered(idCliente) }

// enviarTarefa: o original não envia nada, e server e server_async esperam
// LER uma mensagem antes de responder. Aqui o cliente envia a sua tarefa
// (como o client.py) e espera a resposta com o prazo de -timeout. Com
// -original, nada: o mesmo prazo de 2 s vale para o recv.
func enviarTarefa(client *socket.Sock, idCliente int) error {
	if ORIGINAL {
		return nil
	}
	client.SetTimeout(TIMEOUT_RESPOSTA)
	return client.SendAll(fmt.Appendf(nil, "Tarefa do Cliente %d", idCliente))
}

// ateOFim lê o resto da resposta até o servidor fechar, no prazo de
// -timeout contado da entrada (loadclient.ReadToEOF). Com -original, só o
// recv(1024) do .py. Vazio é erro nos dois casos.
func ateOFim(client *socket.Sock, idCliente int, msg []byte) (loadclient.Reply, error) {
	if ORIGINAL {
		if len(msg) == 0 {
			return loadclient.Reply{}, loadclient.ErrNoReply
		}
		return loadclient.Reply{Head: msg, Len: len(msg)}, nil
	}
	return loadclient.ReadToEOF(client, msg, clientes.Deadline(idCliente, TIMEOUT_RESPOSTA))
}

// atrasada explica o prazo da resposta vencido: "mas a resposta não chegou
// em 10s", ou "recebeu 12 bytes, mas a resposta não terminou em 10s".
func atrasada(err error) string {
	prazo := TIMEOUT_RESPOSTA
	if ORIGINAL {
		prazo = TIMEOUT
	}
	if s := loadclient.Late(err, prazo); !strings.HasPrefix(s, "a resposta") {
		return s
	}
	return "mas " + loadclient.Late(err, prazo)
}

// desfecho classifica o erro de um cliente (sucesso, timeout de conexão ou
// de resposta, recusado, resetado, erro).
func desfecho(err error) summary.Outcome { return loadclient.Classify(err) }

func resetado(err error) string { return loadclient.ResetText(err, !ORIGINAL) }

// recusado: o original diz "A fila estava cheia!", o que só é verdade em
// alguns sistemas (docs/fila-do-kernel.md). Com a fila de accept cheia, o
// Linux e o macOS descartam o SYN em silêncio (o cliente vê TIMEOUT); o
// FreeBSD, pelo syncache, costuma deixar o connect() dar certo e resetar a
// conexão em seguida (RESETADO); o Windows recusa. Fora do Windows, então,
// a recusa quer dizer que ninguém escuta na porta.
func recusado() string { return refusedText(runtime.GOOS, fmt.Sprintf("%s:%d", HOST, PORT)) }

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

// resumo grava a linha do tempo (-svg) e imprime a última linha, o RESUMO,
// que cmd/roteiro e os testes leem. Código 0 qualquer que seja o desfecho.
func resumo(results []loadclient.Result) {
	exit := 0
	if SVG != "" {
		mode := "padrão (envia a tarefa; prazos separados)"
		if ORIGINAL {
			mode = fmt.Sprintf("-original (nada enviado; settimeout(%v) no connect e no recv)", TIMEOUT)
		}
		sc := timeline.Scenario{Program: "clientenervoso", Addr: fmt.Sprintf("%s:%d", HOST, PORT),
			ConnectTimeout: TIMEOUT, ReplyTimeout: TIMEOUT_RESPOSTA, Mode: mode}
		if ORIGINAL {
			sc.ReplyTimeout = TIMEOUT
		}
		exit = loadclient.SaveSVG(SVG, sc, results)
	}
	fmt.Println(loadclient.Resumo(results))
	os.Exit(exit)
}
